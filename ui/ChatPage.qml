pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The chat: rooms on the left, the conversation in the middle, who is here on the right, and the
// connection state always visible on top.
Page {
    id: page

    required property ChatController chat
    signal openMonitor()
    signal signOut()

    background: Rectangle { color: Theme.background }

    header: ColumnLayout {
        spacing: 0
        ConnectionBanner {
            Layout.fillWidth: true
            connectionState: page.chat.connectionState
            errorText: page.chat.errorText
            retryInMs: page.chat.retryInMs
            endpoint: page.chat.endpoint
            onRetryNow: page.chat.reconnectNow()
        }
    }

    SplitView {
        anchors.fill: parent
        orientation: Qt.Horizontal

        RoomListPane {
            SplitView.preferredWidth: 230
            SplitView.minimumWidth: 160
            chat: page.chat
            onOpenMonitor: page.openMonitor()
            onSignOut: page.signOut()
        }

        ColumnLayout {
            SplitView.fillWidth: true
            SplitView.minimumWidth: 300
            spacing: 0

            RoomHeader {
                Layout.fillWidth: true
                chat: page.chat
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
            MessageView {
                id: messageView
                Layout.fillWidth: true
                Layout.fillHeight: true
                chat: page.chat
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
                enabled: page.chat.currentRoom.length > 0
            }
        }

        MemberPane {
            SplitView.preferredWidth: 190
            SplitView.minimumWidth: 120
            chat: page.chat
        }
    }

    // With a room open, the composer has the keyboard focus.
    Connections {
        target: page.chat
        function onCurrentRoomChanged() { composer.focusInput() }
    }
    Component.onCompleted: if (chat.currentRoom.length > 0) composer.focusInput()
}
