import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The open room's name, member count and mute switch.
Rectangle {
    id: header
    required property ChatController chat

    implicitHeight: 48
    color: Theme.surface
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing * 2
        anchors.rightMargin: Theme.spacing
        Label {
            text: header.chat.currentRoom.length > 0 ? "# " + header.chat.currentRoom : qsTr("No room open")
            textFormat: Text.PlainText
            font.bold: true
            font.pixelSize: 16
            color: Theme.text
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            visible: header.chat.currentRoom.length > 0
            text: qsTr("%n online", "", header.chat.members ? header.chat.members.onlineCount : 0)
            color: Theme.mutedText
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
