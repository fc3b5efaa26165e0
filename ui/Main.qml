import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Qt.labs.settings
import Redwire.Models

// The window: the connect page first (or straight to the last server when the user was connected
// there last time), then the chat (and monitor) pages.
ApplicationWindow {
    id: window

    // From the command line: rooms to open, and whether to connect at once.
    property list<string> startRooms
    property bool autoConnect: false
    property bool startMonitor: false

    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    title: qsTr("Redwire")
    color: Theme.background

    // The controls take their colours from the palette: light and dark follow Theme.
    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.alternateBase: Theme.raised
    palette.text: Theme.text
    palette.button: Theme.raised
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.mutedText
    palette.toolTipBase: Theme.raised
    palette.toolTipText: Theme.text
    palette.mid: Theme.border
    palette.light: Theme.surface
    palette.dark: Theme.mutedText
    palette.link: Theme.link

    Settings {
        category: "window"
        property alias x: window.x
        property alias y: window.y
        property alias width: window.width
        property alias height: window.height
    }
    // The theme the user picked is in Preferences (ChatSettings), which keeps it.
    Binding {
        target: Theme
        property: "mode"
        value: Preferences.theme
    }

    // The window fits the screen it is on, whole: the default size on a small screen (1100×720
    // on 800×600 left Clear and the side panel off the screen), a saved position off every
    // screen now (a monitor unplugged, a smaller desktop). Runs after Settings restored them.
    function keepOnScreen() {
        const screens = Qt.application.screens
        if (screens.length === 0)
            return
        const margin = 64
        let home = null
        for (let i = 0; i < screens.length && home === null; ++i) {
            const s = screens[i]
            if (window.x + window.width > s.virtualX + margin && window.x < s.virtualX + s.width - margin
                    && window.y >= s.virtualY - margin / 2 && window.y < s.virtualY + s.height - margin)
                home = s
        }
        const target = home !== null ? home : screens[0]
        // Room for the window manager's frame and title bar, which QML does not know.
        const frameSide = 8
        const frameTop = 40
        const availableWidth = Math.min(target.width, target.desktopAvailableWidth) - 2 * frameSide
        const availableHeight = Math.min(target.height, target.desktopAvailableHeight) - frameTop - frameSide
        window.width = Math.max(Math.min(window.minimumWidth, availableWidth), Math.min(window.width, availableWidth))
        window.height = Math.max(Math.min(window.minimumHeight, availableHeight), Math.min(window.height, availableHeight))
        const left = target.virtualX + frameSide
        const top = target.virtualY + frameTop
        if (home === null) {
            window.x = left + Math.max(0, (availableWidth - window.width) / 2)
            window.y = top + Math.max(0, (availableHeight - window.height) / 2)
            return
        }
        // On its screen: moved back inside where it sticks out.
        window.x = Math.max(left, Math.min(window.x, left + availableWidth - window.width))
        window.y = Math.max(top, Math.min(window.y, top + availableHeight - window.height))
    }

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        initialItem: connectPage
    }

    Component {
        id: connectPage
        ConnectPage {
            onConnectRequested: Connection.prepare()
        }
    }

    // The options the chat connected with; the monitor uses the same server.
    property var serverOptions
    Connections {
        target: Connection
        function onReady(options) {
            window.serverOptions = options
            // A local server gets a new port each time: its drafts are kept under "local".
            Preferences.setDraftScope(Connection.useLocalServer ? "local" : Connection.endpoint,
                                      Connection.nickname)
            Chat.start(options, Connection.nickname, window.startRooms)
            if (Chat.started) {
                stack.replace(null, chatPage)
                if (window.startMonitor)
                    window.openMonitor()
            }
        }
    }

    Binding {
        target: Chat
        property: "windowActive"
        value: window.active
    }

    Connections {
        target: Chat
        function onNotified(title, body) {
            window.alert(0)
            // Over the monitor a toast would cover its toolbar: chat news waits in the room list
            // (and on the desktop, with the window in the background).
            if (!window.monitorShown)
                toast.show(title, body)
        }
        // A server that worked is the one to connect to at the next start.
        function onConnectionChanged() {
            if (Chat.connectionState === RedisClient.Connected)
                Preferences.autoConnect = true
        }
    }

    Component {
        id: chatPage
        ChatPage {
            chat: Chat
            preferences: Preferences
            onChangeServer: window.changeServer()
            onOpenMonitor: window.openMonitor()
        }
    }

    // Back to the connect page, which keeps what was filled in; the next start shows it too,
    // until a connection works again.
    function changeServer() {
        Preferences.autoConnect = false
        Preferences.flush()
        Monitor.stop()
        Chat.stop()
        stack.replace(null, connectPage)
    }

    Component {
        id: monitorPage
        MonitorPage {
            objectName: "monitorPage"
            monitor: Monitor
            onBack: stack.pop()
        }
    }

    function openMonitor() {
        if (!Monitor.started) {
            Monitor.start(window.serverOptions)
            Monitor.addTopic("*")
        }
        toast.close()
        stack.push(monitorPage)
    }
    readonly property bool monitorShown: stack.currentItem ? stack.currentItem.objectName === "monitorPage" : false


    Toast {
        id: toast
        objectName: "toast"
        coveredTop: stack.currentItem && stack.currentItem.overlayTop !== undefined
                   ? stack.currentItem.overlayTop : 0
    }

    // What the user typed is never dropped silently: unsent messages are kept on disk and go out
    // at the next start, drafts wait in their rooms; closing the window with either says so first.
    property bool closeConfirmed: false
    Shortcut {
        sequences: [StandardKey.Quit]
        onActivated: window.close()
    }
    readonly property list<string> draftRooms: Chat.started ? Preferences.draftRooms : []
    onClosing: (close) => {
        if (!closeConfirmed && (Chat.pendingCount > 0 || draftRooms.length > 0)) {
            close.accepted = false
            quitDialog.open()
        }
    }
    Dialog {
        id: quitDialog
        objectName: "quitDialog"
        anchors.centerIn: parent
        modal: true
        title: Chat.pendingCount > 0 ? qsTr("Messages not sent yet") : qsTr("Draft not sent")
        ColumnLayout {
            spacing: Theme.spacing
            Label {
                objectName: "quitPendingText"
                visible: Chat.pendingCount > 0
                text: qsTr("%n message(s) could not be sent yet. They are kept, and sent the next time you connect to this server with this nickname.", "", Chat.pendingCount)
                wrapMode: Text.Wrap
                Layout.preferredWidth: 340
            }
            Label {
                objectName: "quitDraftText"
                visible: window.draftRooms.length > 0
                text: qsTr("You typed a message you have not sent in %n room(s): %1. It is kept for the next time you open the room.", "", window.draftRooms.length)
                      .arg(window.draftRooms.join(", "))
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                Layout.preferredWidth: 340
            }
        }
        footer: DialogButtonBox {
            Button {
                text: qsTr("Quit")
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                text: qsTr("Stay")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        onAccepted: {
            window.closeConfirmed = true
            window.close()
        }
    }

    Component.onCompleted: {
        Qt.callLater(keepOnScreen)
        if (autoConnect && Connection.nickname.length > 0)
            Connection.prepare()
        else if (Preferences.autoConnect && Connection.hasSavedServer && Connection.validate().length === 0)
            Connection.prepareSaved()
    }
}
