pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Who is in the open room, online first. A click (or Space on the keyboard's row) opens the
// member's profile (safety numbers, "Message …"); Enter opens a direct conversation. The list is
// one stop of the Tab chain.
Rectangle {
    id: pane
    required property ChatController chat
    signal profileRequested(string nickname)
    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Label {
            text: qsTr("Members")
            color: Theme.mutedText
            font.pixelSize: Theme.smallFontSize
            font.capitalization: Font.AllUppercase
            Layout.margins: Theme.spacing
        }
        ListView {
            id: members
            objectName: "memberList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.chat.members
            keyNavigationEnabled: true
            activeFocusOnTab: count > 0
            Accessible.name: qsTr("Members")
            function openCurrent() {
                if (currentItem && !currentItem.me)
                    pane.chat.openDirect(currentItem.nickname)
            }
            function showCurrentProfile() {
                if (currentItem)
                    pane.profileRequested(currentItem.nickname)
            }
            Keys.onReturnPressed: openCurrent()
            Keys.onEnterPressed: openCurrent()
            Keys.onSpacePressed: showCurrentProfile()
            delegate: ItemDelegate {
                id: member
                required property string nickname
                required property bool online
                required property bool typing
                required property bool me
                required property bool away
                width: ListView.view.width
                height: 30
                focusPolicy: Qt.NoFocus
                Accessible.role: Accessible.ListItem
                Accessible.name: (member.me ? qsTr("%1 (you)") : member.away ? qsTr("%1, away")
                                  : member.online ? qsTr("%1, online") : qsTr("%1, offline"))
                                 .arg(member.nickname)
                Accessible.description: qsTr("Space: profile and safety number. Enter: direct message.")
                onClicked: pane.profileRequested(nickname)
                background: Rectangle {
                    color: member.hovered ? Theme.raised : "transparent"
                    border.width: member.ListView.isCurrentItem && members.activeFocus ? 2 : 0
                    border.color: Theme.accent
                    radius: 2
                }
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Profile and safety number")
                contentItem: RowLayout {
                    spacing: Theme.spacing
                    // Online: a filled green dot; away: a hollow amber ring; offline: grey.
                    Rectangle {
                        objectName: "presenceDot"
                        implicitWidth: 9
                        implicitHeight: 9
                        radius: 5
                        color: member.away ? "transparent" : member.online ? Theme.ok : Theme.border
                        border.width: member.away ? 2 : 0
                        border.color: Theme.warning
                    }
                    Label {
                        Layout.fillWidth: true
                        text: member.nickname + (member.me ? " " + qsTr("(you)") : "")
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        color: member.online && !member.away ? Theme.colorFor(member.nickname) : Theme.mutedText
                        font.italic: member.typing
                    }
                    Label {
                        objectName: "awayLabel"
                        visible: member.away
                        text: qsTr("away")
                        color: Theme.warning
                    }
                }
            }
        }
    }
}
