import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The open room's name and member count, or for a direct conversation the other person and
// whether they are online; how much the room notifies; the mute switch.
Rectangle {
    id: header
    required property ChatController chat
    // Whether the member list is shown beside the conversation; the member count toggles it.
    property bool membersShown: true
    signal membersToggled()

    implicitHeight: 48
    color: Theme.surface
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing * 2
        anchors.rightMargin: Theme.spacing
        Label {
            objectName: "roomTitle"
            text: header.chat.currentRoom.length === 0 ? qsTr("No room open")
                  : (header.chat.currentRoomDirect ? "@ " : "# ") + header.chat.currentRoom
            textFormat: Text.PlainText
            font.bold: true
            font.pixelSize: 16
            color: Theme.text
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        // In a room: how many are online, and the switch for the member list (hidden by default
        // in a narrow window, where it would squeeze the conversation).
        ToolButton {
            id: membersButton
            objectName: "membersButton"
            visible: header.chat.currentRoom.length > 0 && !header.chat.currentRoomDirect
            focusPolicy: Qt.TabFocus
            FocusFrame { control: membersButton }
            checkable: true
            checked: header.membersShown
            text: qsTr("%n online", "", header.chat.members ? header.chat.members.onlineCount : 0)
            Accessible.name: header.membersShown ? qsTr("Hide the member list") : qsTr("Show the member list")
            ToolTip.visible: hovered
            ToolTip.text: Accessible.name
            onClicked: header.membersToggled()
        }
        // In a direct conversation: whether the other person is online.
        Label {
            objectName: "roomPresence"
            visible: header.chat.currentRoom.length > 0 && header.chat.currentRoomDirect
            text: header.chat.currentPeerPresence === "online" ? qsTr("online")
                  : header.chat.currentPeerPresence === "away" ? qsTr("away") : qsTr("offline")
            color: Theme.mutedText
            // The same dot as in the member list.
            leftPadding: presenceDot.width + Theme.spacing
            Rectangle {
                id: presenceDot
                anchors.verticalCenter: parent.verticalCenter
                width: 9
                height: 9
                radius: 5
                // As in the member list: away is a hollow amber ring.
                color: header.chat.currentPeerPresence === "online" ? Theme.ok
                     : header.chat.currentPeerPresence === "away" ? "transparent" : Theme.border
                border.width: header.chat.currentPeerPresence === "away" ? 2 : 0
                border.color: Theme.warning
            }
        }
        ToolButton {
            id: notifyButton
            objectName: "notifyButton"
            visible: header.chat.currentRoom.length > 0
            focusPolicy: Qt.TabFocus
            FocusFrame { control: notifyButton }
            readonly property string level: header.chat.currentRoomNotificationLevel
            text: level === "all" ? qsTr("Notify: all")
                  : (level === "none" ? qsTr("Notify: nothing") : qsTr("Notify: mentions"))
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Which messages of this conversation notify you")
            onClicked: notifyMenu.popup(notifyButton, 0, notifyButton.height)
            Menu {
                id: notifyMenu
                objectName: "notifyMenu"
                palette.light: Theme.selection
                ButtonGroup { id: levelChoices }
                MenuItem {
                    objectName: "notifyAll"
                    text: qsTr("All messages")
                    checkable: true
                    ButtonGroup.group: levelChoices
                    checked: notifyButton.level === "all"
                    onTriggered: header.chat.setCurrentRoomNotificationLevel("all")
                }
                MenuItem {
                    objectName: "notifyMentions"
                    text: qsTr("Mentions and direct messages")
                    checkable: true
                    ButtonGroup.group: levelChoices
                    checked: notifyButton.level === "mentions"
                    onTriggered: header.chat.setCurrentRoomNotificationLevel("mentions")
                }
                MenuItem {
                    objectName: "notifyNone"
                    text: qsTr("Nothing")
                    checkable: true
                    ButtonGroup.group: levelChoices
                    checked: notifyButton.level === "none"
                    onTriggered: header.chat.setCurrentRoomNotificationLevel("none")
                }
            }
        }
        ToolButton {
            id: muteButton
            objectName: "muteButton"
            visible: header.chat.currentRoom.length > 0
            focusPolicy: Qt.TabFocus
            FocusFrame { control: muteButton }
            text: header.chat.currentRoomMuted ? qsTr("Unmute") : qsTr("Mute")
            onClicked: header.chat.setCurrentRoomMuted(!header.chat.currentRoomMuted)
        }
    }
}
