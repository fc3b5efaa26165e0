import QtQuick
import QtQuick.Controls
import Qt.labs.settings
import Redwire.Models

// The window: the connect page first, then the chat (and monitor) pages.
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
        property alias theme: window.themeMode
    }
    property string themeMode: "system"
    onThemeModeChanged: Theme.mode = themeMode

    // A saved position can be off every screen now (a monitor unplugged, a smaller desktop):
    // bring the window back onto the first screen, no larger than it (after Settings restored it).
    function keepOnScreen() {
        const screens = Qt.application.screens
        const margin = 64
        for (let i = 0; i < screens.length; ++i) {
            const s = screens[i]
            if (window.x + window.width > s.virtualX + margin && window.x < s.virtualX + s.width - margin
                    && window.y >= s.virtualY - margin / 2 && window.y < s.virtualY + s.height - margin)
                return
        }
        if (screens.length === 0)
            return
        const first = screens[0]
        window.width = Math.min(window.width, first.desktopAvailableWidth)
        window.height = Math.min(window.height, first.desktopAvailableHeight)
        window.x = first.virtualX + Math.max(0, (first.width - window.width) / 2)
        window.y = first.virtualY + Math.max(0, (first.height - window.height) / 2)
    }

    StackView {
        id: stack
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
            toast.show(title, body)
        }
    }

    Component {
        id: chatPage
        ChatPage {
            chat: Chat
            onSignOut: {
                Monitor.stop()
                Chat.stop()
                stack.replace(null, connectPage)
            }
            onOpenMonitor: window.openMonitor()
        }
    }

    Component {
        id: monitorPage
        MonitorPage {
            monitor: Monitor
            onBack: stack.pop()
        }
    }

    function openMonitor() {
        if (!Monitor.started) {
            Monitor.start(window.serverOptions)
            Monitor.addTopic("*")
        }
        stack.push(monitorPage)
    }

    Toast { id: toast }

    // What the user typed is never dropped silently: unsent messages are kept on disk and go out
    // at the next start; closing the window with some still waiting says so first.
    property bool closeConfirmed: false
    onClosing: (close) => {
        if (!closeConfirmed && Chat.pendingCount > 0) {
            close.accepted = false
            quitDialog.open()
        }
    }
    Dialog {
        id: quitDialog
        anchors.centerIn: parent
        modal: true
        title: qsTr("Messages not sent yet")
        Label {
            text: qsTr("%n message(s) could not be sent yet. They are kept, and sent the next time you connect to this server with this nickname.", "", Chat.pendingCount)
            wrapMode: Text.Wrap
            width: 320
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
        Theme.mode = themeMode
        if (autoConnect && Connection.nickname.length > 0)
            Connection.prepare()
    }
}
