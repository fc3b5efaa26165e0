pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Joined rooms with unread badges; join a room by name; leave one from its context menu.
Rectangle {
    id: pane
    required property ChatController chat
    signal openMonitor()
    signal signOut()

    color: Theme.sidebar

    AboutDialog { id: about; parent: Overlay.overlay }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            Label {
                text: pane.chat.nickname
                textFormat: Text.PlainText
                font.bold: true
                color: Theme.text
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            ToolButton {
                text: "⋯"
                Accessible.name: qsTr("Menu")
                onClicked: menu.open()
                Menu {
                    id: menu
                    MenuItem { text: qsTr("Channel monitor"); onTriggered: pane.openMonitor() }
                    MenuItem {
                        text: Theme.dark ? qsTr("Light theme") : qsTr("Dark theme")
                        onTriggered: Theme.mode = Theme.dark ? "light" : "dark"
                    }
                    MenuItem { text: qsTr("About Redwire"); onTriggered: about.open() }
                    MenuItem { text: qsTr("Sign out"); onTriggered: pane.signOut() }
                }
            }
        }

        TextField {
            id: joinField
            objectName: "joinField"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            placeholderText: qsTr("Join a room…")
            maximumLength: 200
            onAccepted: {
                if (text.trim().length > 0) {
                    pane.chat.joinRoom(text.trim())
                    text = ""
                }
            }
        }

        Label {
            text: qsTr("Rooms")
            color: Theme.mutedText
            font.pixelSize: Theme.smallFontSize
            font.capitalization: Font.AllUppercase
            Layout.margins: Theme.spacing
        }

        ListView {
            id: rooms
            objectName: "roomList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.chat.rooms
            keyNavigationEnabled: true
            focus: true
            currentIndex: pane.chat.rooms ? pane.chat.rooms.currentRow : -1
            Keys.onReturnPressed: pane.chat.selectRow(currentIndex)

            delegate: ItemDelegate {
                id: roomDelegate
                required property int index
                required property string name
                required property int unread
                required property int mentions
                required property bool muted
                required property bool current
                required property bool direct
                required property string problem
                required property bool request
                readonly property string roomName: name

                width: ListView.view.width
                height: 34
                highlighted: current
                background: Rectangle {
                    color: roomDelegate.current ? Theme.selection
                                                : (roomDelegate.hovered ? Theme.raised : "transparent")
                }
                onClicked: pane.chat.selectRow(index)

                contentItem: RowLayout {
                    spacing: Theme.spacing
                    Label {
                        text: (roomDelegate.direct ? "@ " : "# ") + roomDelegate.name
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        color: roomDelegate.muted ? Theme.mutedText : Theme.text
                        font.bold: roomDelegate.unread > 0 && !roomDelegate.muted
                    }
                    Label {
                        visible: roomDelegate.request
                        text: qsTr("request")
                        color: Theme.mutedText
                        font.italic: true
                        font.pixelSize: Theme.smallFontSize
                    }
                    Label {
                        objectName: "roomProblem"
                        visible: roomDelegate.problem.length > 0
                        text: "⚠"
                        color: Theme.danger
                        Accessible.name: roomDelegate.problem
                        ToolTip.visible: problemHover.hovered
                        ToolTip.text: roomDelegate.problem
                        HoverHandler { id: problemHover }
                    }
                    Rectangle {
                        visible: roomDelegate.unread > 0
                        radius: height / 2
                        implicitHeight: 18
                        implicitWidth: Math.max(18, badge.implicitWidth + 10)
                        color: roomDelegate.mentions > 0 ? Theme.accent
                                                         : (roomDelegate.muted ? Theme.border : Theme.mutedText)
                        Label {
                            id: badge
                            anchors.centerIn: parent
                            text: roomDelegate.unread > 99 ? "99+" : roomDelegate.unread
                            color: Theme.accentText
                            font.pixelSize: 11
                            font.bold: true
                        }
                    }
                }

                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: roomMenu.popup()
                }
                Menu {
                    id: roomMenu
                    MenuItem {
                        text: roomDelegate.muted ? qsTr("Unmute") : qsTr("Mute")
                        onTriggered: pane.chat.setRowMuted(roomDelegate.index, !roomDelegate.muted)
                    }
                    MenuItem {
                        text: qsTr("Leave")
                        onTriggered: pane.chat.leaveRow(roomDelegate.index)
                    }
                }
            }
        }
    }
}
