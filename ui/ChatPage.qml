pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The chat: rooms on the left, the conversation in the middle, who is here on the right, and the
// connection state always visible on top. Everything is reachable from the keyboard; the
// shortcuts are listed in ShortcutsDialog (F1).
Page {
    id: page

    required property ChatController chat
    required property ChatSettings preferences
    signal openMonitor()
    signal changeServer()

    background: Rectangle { color: Theme.background }

    // Under this width the member list is hidden unless asked for: at 800 x 600 it took a quarter
    // of the window from the conversation. Each width class remembers its own choice.
    readonly property bool narrow: width < 1000
    property bool membersWantedWide: true
    property bool membersWantedNarrow: false
    readonly property bool membersShown: narrow ? membersWantedNarrow : membersWantedWide
    function toggleMembers() {
        if (narrow)
            membersWantedNarrow = !membersWantedNarrow
        else
            membersWantedWide = !membersWantedWide
    }
    // Where in-window notifications may go without covering the room's header and its banners
    // (their buttons): the top of the timeline.
    readonly property real overlayTop: (page.header ? page.header.height : 0) + messageView.y

    header: ColumnLayout {
        spacing: 0
        ConnectionBanner {
            Layout.fillWidth: true
            connectionState: page.chat.connectionState
            errorText: page.chat.errorText
            retryInMs: page.chat.retryInMs
            endpoint: page.chat.endpoint
            onRetryNow: page.chat.reconnectNow()
            onChangeServer: page.changeServer()
        }
    }

    SplitView {
        anchors.fill: parent
        orientation: Qt.Horizontal

        RoomListPane {
            id: roomListPane
            SplitView.preferredWidth: 230
            SplitView.minimumWidth: 160
            chat: page.chat
            preferences: page.preferences
            onOpenMonitor: page.openMonitor()
            onChangeServer: page.changeServer()
            onShowShortcuts: shortcutsDialog.open()
        }

        ColumnLayout {
            SplitView.fillWidth: true
            SplitView.minimumWidth: 300
            spacing: 0

            RoomHeader {
                id: roomHeader
                Layout.fillWidth: true
                chat: page.chat
                membersShown: page.membersShown
                onMembersToggled: page.toggleMembers()
            }
            // The server refuses this room (ACL): say why, and offer to ask again.
            Rectangle {
                objectName: "roomProblemBanner"
                visible: page.chat.currentRoomProblem.length > 0
                Layout.fillWidth: true
                implicitHeight: problemRow.implicitHeight + Theme.spacing * 2
                color: Theme.raised
                RowLayout {
                    id: problemRow
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.spacing
                    Label {
                        Layout.fillWidth: true
                        text: page.chat.currentRoomProblem
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        color: Theme.danger
                    }
                    Button {
                        text: qsTr("Try again")
                        onClicked: page.chat.retryCurrentRoom()
                    }
                }
            }
            // Someone we never talked with: nothing notifies until the user accepts or answers.
            Rectangle {
                objectName: "requestBanner"
                visible: page.chat.currentRoomRequest
                Layout.fillWidth: true
                implicitHeight: requestRow.implicitHeight + Theme.spacing * 2
                color: Theme.raised
                RowLayout {
                    id: requestRow
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.spacing
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("%1 has not talked with you before. Their messages do not notify you until you accept or answer.").arg(page.chat.currentRoom)
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                    }
                    Button {
                        text: qsTr("Accept")
                        onClicked: page.chat.acceptCurrentRequest()
                    }
                }
            }
            // Someone signs with a key other than the one pinned for them: loud, until accepted.
            Repeater {
                model: page.chat.identity.changedKeys
                delegate: Rectangle {
                    id: keyBanner
                    required property string modelData
                    objectName: "keyChangedBanner:" + modelData
                    Layout.fillWidth: true
                    implicitHeight: keyRow.implicitHeight + Theme.spacing * 2
                    color: Theme.raised
                    border.color: Theme.danger
                    border.width: 2
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: keyText.text
                    RowLayout {
                        id: keyRow
                        anchors.fill: parent
                        anchors.margins: Theme.spacing
                        spacing: Theme.spacing
                        Label {
                            id: keyText
                            objectName: "keyChangedText"
                            Layout.fillWidth: true
                            text: qsTr("⚠ KEY CHANGED: %1 now signs with a different key. It may be a new device or a reinstall — or someone else using the name. Compare safety numbers with %1 over another channel before you accept the new key; until then their messages are marked KEY CHANGED.").arg(keyBanner.modelData)
                            textFormat: Text.PlainText
                            wrapMode: Text.Wrap
                            color: Theme.danger
                        }
                        Button {
                            objectName: "compareKeys"
                            text: qsTr("Compare…")
                            Accessible.name: qsTr("Compare safety numbers with %1").arg(keyBanner.modelData)
                            onClicked: memberProfile.show(keyBanner.modelData)
                        }
                        Button {
                            objectName: "acceptNewKey"
                            text: qsTr("Accept new key")
                            Accessible.name: qsTr("Accept %1's new key").arg(keyBanner.modelData)
                            onClicked: page.chat.identity.acceptChangedKey(keyBanner.modelData)
                        }
                    }
                }
            }
            // No keychain: the signing key sits in a 0600 file. Said once; the user may dismiss it.
            Rectangle {
                id: keyStorageBanner
                objectName: "keyStorageBanner"
                property bool dismissed: false
                visible: !dismissed && page.chat.identity.warning.length > 0
                Layout.fillWidth: true
                implicitHeight: storageRow.implicitHeight + Theme.spacing * 2
                color: Theme.raised
                Accessible.role: Accessible.AlertMessage
                Accessible.name: storageText.text
                RowLayout {
                    id: storageRow
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.spacing
                    Label {
                        id: storageText
                        objectName: "keyStorageText"
                        Layout.fillWidth: true
                        text: page.chat.identity.warning
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        color: Theme.warning
                    }
                    Button {
                        objectName: "dismissKeyStorage"
                        text: qsTr("Dismiss")
                        Accessible.name: qsTr("Dismiss the warning about where your key is kept")
                        onClicked: keyStorageBanner.dismissed = true
                    }
                }
            }
            SearchBar {
                id: searchBar
                visible: false
                Layout.fillWidth: true
                chat: page.chat
                onJumpTo: (streamId) => page.chat.messages.jumpTo(streamId)
                onCloseRequested: page.focusComposer()
            }
            MessageView {
                id: messageView
                Layout.fillWidth: true
                Layout.fillHeight: true
                chat: page.chat
                onReplyRequested: (messageId, sender, text) => composer.startReply(messageId, sender, text)
                onEditRequested: (messageId, text) => composer.startEdit(messageId, text)
                onProfileRequested: (nickname) => memberProfile.show(nickname)
            }
            TypingLine {
                Layout.fillWidth: true
                text: page.chat.typingText
            }
            Composer {
                id: composer
                objectName: "composer"
                Layout.fillWidth: true
                chat: page.chat
                preferences: page.preferences
                enabled: page.chat.currentRoom.length > 0
                // What was just sent is shown, even when reading further up.
                onSent: messageView.jumpToLatest()
            }
        }

        MemberPane {
            objectName: "memberPane"
            visible: page.membersShown
            SplitView.preferredWidth: 190
            SplitView.minimumWidth: 120
            chat: page.chat
            onProfileRequested: (nickname) => memberProfile.show(nickname)
        }
    }

    // With a room open, the composer has the keyboard focus; without, the field to join one.
    function focusComposer() {
        if (chat.currentRoom.length > 0)
            composer.focusInput()
        else
            roomListPane.focusJoinField()
    }
    Connections {
        target: page.chat
        function onCurrentRoomChanged() {
            if (searchBar.visible)
                searchBar.close()
            page.focusComposer()
        }
    }
    Component.onCompleted: focusComposer()

    MemberProfile {
        id: memberProfile
        chat: page.chat
        onClosed: page.focusComposer()
    }
    QuickSwitcher {
        id: switcher
        parent: Overlay.overlay
        chat: page.chat
        onClosed: page.focusComposer()
    }
    ShortcutsDialog {
        id: shortcutsDialog
        parent: Overlay.overlay
        onClosed: page.focusComposer()
    }

    function goToRoom(step, unreadOnly) {
        if (page.chat.rooms)
            page.chat.rooms.select(page.chat.rooms.rowAfter(step, unreadOnly))
    }

    // While a dialog is open these do nothing (Qt Quick Controls blocks window shortcuts then),
    // nor while the page is hidden under the monitor (a Shortcut fires in a hidden item too).
    Shortcut {
        sequence: "Ctrl+K"
        enabled: page.visible
        onActivated: switcher.open()
    }
    Shortcut {
        sequence: "Alt+Down"
        enabled: page.visible
        onActivated: page.goToRoom(1, false)
    }
    Shortcut {
        sequence: "Alt+Up"
        enabled: page.visible
        onActivated: page.goToRoom(-1, false)
    }
    Shortcut {
        sequence: "Alt+Shift+Down"
        enabled: page.visible
        onActivated: page.goToRoom(1, true)
    }
    Shortcut {
        sequence: "Alt+Shift+Up"
        enabled: page.visible
        onActivated: page.goToRoom(-1, true)
    }
    Shortcut {
        sequences: [StandardKey.MoveToPreviousPage]
        enabled: page.visible
        onActivated: messageView.scrollPage(-1)
    }
    Shortcut {
        sequences: [StandardKey.MoveToNextPage]
        enabled: page.visible
        onActivated: messageView.scrollPage(1)
    }
    Shortcut {
        sequence: "Esc"
        enabled: page.visible
        onActivated: {
            if (searchBar.visible) {
                searchBar.close()
            } else {
                composer.cancelMode() // a reply or an edit under way
                page.focusComposer()
            }
        }
    }
    Shortcut {
        sequences: [StandardKey.Find]
        enabled: page.visible && page.chat.currentRoom.length > 0
        onActivated: searchBar.open()
    }
    Shortcut {
        sequence: "F1"
        enabled: page.visible
        onActivated: shortcutsDialog.open()
    }
    // "?" is text in a text field; elsewhere it opens the list too.
    Shortcut {
        sequence: "?"
        enabled: {
            const item = page.Window.activeFocusItem
            return page.visible && (!item || item.cursorPosition === undefined)
        }
        onActivated: shortcutsDialog.open()
    }
}
