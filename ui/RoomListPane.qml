pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Joined rooms with unread badges; join a room by name; leave one from its context menu. The
// list is one stop of the Tab chain: arrows move, Enter or Space opens the room.
Rectangle {
    id: pane
    required property ChatController chat
    required property ChatSettings preferences
    signal openMonitor()
    signal changeServer()
    signal showShortcuts()

    color: Theme.sidebar

    AboutDialog { id: about; parent: Overlay.overlay }

    // Where the keyboard starts when no room is open.
    function focusJoinField() { joinField.forceActiveFocus() }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    text: pane.chat.nickname
                    textFormat: Text.PlainText
                    font.bold: true
                    color: Theme.text
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                // Which server: with auto-connect the user never saw the connect page.
                Label {
                    objectName: "serverLabel"
                    text: pane.chat.endpoint
                    textFormat: Text.PlainText
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
            ToolButton {
                id: menuButton
                objectName: "menuButton"
                text: "⋯"
                Accessible.name: qsTr("Menu")
                focusPolicy: Qt.TabFocus
                onClicked: menu.open()
                FocusFrame { control: menuButton }
                Menu {
                    id: menu
                    // The Basic style marks the keyboard's item with palette.light: the surface
                    // colour here, invisible on the menu.
                    palette.light: Theme.selection
                    MenuItem { text: qsTr("Channel monitor"); onTriggered: pane.openMonitor() }
                    Menu {
                        title: qsTr("Theme")
                        palette.light: Theme.selection
                        // One of the three is checked, whatever is clicked.
                        ButtonGroup { id: themeChoices }
                        MenuItem {
                            text: qsTr("Like the system")
                            checkable: true
                            ButtonGroup.group: themeChoices
                            checked: pane.preferences.theme === "system"
                            onTriggered: pane.preferences.theme = "system"
                        }
                        MenuItem {
                            text: qsTr("Light")
                            checkable: true
                            ButtonGroup.group: themeChoices
                            checked: pane.preferences.theme === "light"
                            onTriggered: pane.preferences.theme = "light"
                        }
                        MenuItem {
                            text: qsTr("Dark")
                            checkable: true
                            ButtonGroup.group: themeChoices
                            checked: pane.preferences.theme === "dark"
                            onTriggered: pane.preferences.theme = "dark"
                        }
                    }
                    MenuItem {
                        objectName: "soundItem"
                        text: qsTr("Notification sound")
                        checkable: true
                        checked: pane.preferences.notificationSound
                        onToggled: pane.preferences.notificationSound = checked
                    }
                    MenuItem { text: qsTr("Keyboard shortcuts"); onTriggered: pane.showShortcuts() }
                    MenuItem { text: qsTr("About Redwire"); onTriggered: about.open() }
                    MenuItem {
                        objectName: "changeServerItem"
                        text: qsTr("Change server or nickname…")
                        onTriggered: pane.changeServer()
                    }
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
            Accessible.name: qsTr("Join a room")
            Accessible.description: qsTr("Type a room's name and press Enter")
            maximumLength: 200
            onAccepted: {
                if (text.trim().length > 0) {
                    pane.chat.joinRoom(text.trim())
                    text = ""
                }
            }
        }

        ListView {
            id: rooms
            objectName: "roomList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.chat.rooms
            keyNavigationEnabled: true
            activeFocusOnTab: true
            Accessible.name: qsTr("Rooms")
            // Rooms first, then direct messages (RoomListModel keeps them in that order); the
            // first row of each group carries the group's heading.
            section.property: "section"
            // The keyboard's row starts at the room in view and follows it when it changes
            // elsewhere (a click, Alt+Down, the switcher).
            currentIndex: pane.chat.rooms ? pane.chat.rooms.currentRow : -1
            Connections {
                target: pane.chat.rooms
                function onCurrentRowChanged() { rooms.currentIndex = pane.chat.rooms.currentRow }
            }
            onActiveFocusChanged: if (activeFocus && pane.chat.rooms) currentIndex = pane.chat.rooms.currentRow
            Keys.onReturnPressed: pane.chat.rooms.select(currentIndex)
            Keys.onEnterPressed: pane.chat.rooms.select(currentIndex)
            Keys.onSpacePressed: pane.chat.rooms.select(currentIndex)
            // The context menu key (or Shift+F10) opens the row's menu, as a right click does.
            Keys.onMenuPressed: if (currentItem) currentItem.openMenu()
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier) && currentItem) {
                    currentItem.openMenu()
                    event.accepted = true
                }
            }

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

                // The first row of a group ("rooms", "direct") shows its heading above it.
                readonly property bool startsSection: ListView.section !== ListView.previousSection
                readonly property int headingHeight: startsSection ? 26 : 0
                width: ListView.view.width
                height: 34 + headingHeight
                topInset: headingHeight
                topPadding: headingHeight + 6
                highlighted: current
                Accessible.role: Accessible.ListItem
                Accessible.name: (roomDelegate.unread > 0
                                  ? qsTr("%1, %n unread", "", roomDelegate.unread).arg(roomDelegate.name)
                                  : roomDelegate.name)
                                 + (roomDelegate.mentions > 0 ? ", " + qsTr("%n mentions", "", roomDelegate.mentions) : "")
                Accessible.description: roomDelegate.problem
                // The list is the Tab stop, not each room.
                focusPolicy: Qt.NoFocus
                readonly property bool keyboardRow: ListView.isCurrentItem && ListView.view.activeFocus
                background: Rectangle {
                    color: roomDelegate.current ? Theme.selection
                                                : (roomDelegate.hovered ? Theme.raised : "transparent")
                    border.width: roomDelegate.keyboardRow ? 2 : 0
                    border.color: Theme.accent
                    radius: 2
                }
                onClicked: pane.chat.rooms.select(index)

                Label {
                    objectName: "roomSection_" + roomDelegate.ListView.section
                    visible: roomDelegate.startsSection
                    x: Theme.spacing
                    height: roomDelegate.headingHeight
                    verticalAlignment: Text.AlignVCenter
                    text: roomDelegate.ListView.section === "direct" ? qsTr("Direct messages") : qsTr("Rooms")
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                    font.capitalization: Font.AllUppercase
                }

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

                function openMenu() {
                    roomMenu.popup(roomDelegate, 0, roomDelegate.height)
                }
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: roomMenu.popup()
                }
                Menu {
                    id: roomMenu
                    palette.light: Theme.selection
                    MenuItem {
                        text: roomDelegate.muted ? qsTr("Unmute") : qsTr("Mute")
                        onTriggered: pane.chat.rooms.setRowMuted(roomDelegate.index, !roomDelegate.muted)
                    }
                    MenuItem {
                        text: qsTr("Leave")
                        onTriggered: pane.chat.rooms.leave(roomDelegate.index)
                    }
                }
            }
        }
    }
}
