pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Ctrl+K: type a few letters of a room or a person ("gnc" finds #general-chat; "@" only people,
// "#" only rooms), arrows pick, Enter opens.
Popup {
    id: switcher
    required property ChatController chat

    objectName: "quickSwitcher"
    modal: true
    focus: true
    width: Math.min(420, parent ? parent.width - 40 : 420)
    x: parent ? (parent.width - width) / 2 : 0
    y: parent ? parent.height / 6 : 0
    padding: Theme.spacing
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radius
    }

    onOpened: {
        field.text = ""
        list.currentIndex = 0
        field.forceActiveFocus()
    }

    function choose(row) {
        const sourceRow = matches.sourceRow(row)
        close()
        if (sourceRow >= 0)
            chat.rooms.select(sourceRow)
    }

    RoomMatchModel {
        id: matches
        rooms: switcher.chat.rooms
        query: field.text
        onModelReset: list.currentIndex = 0
        onLayoutChanged: list.currentIndex = 0
        onRowsInserted: list.currentIndex = 0
        onRowsRemoved: list.currentIndex = 0
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        TextField {
            id: field
            objectName: "switcherField"
            Layout.fillWidth: true
            placeholderText: qsTr("Go to a room or a person…")
            Accessible.name: qsTr("Go to")
            Keys.onDownPressed: list.incrementCurrentIndex()
            Keys.onUpPressed: list.decrementCurrentIndex()
            Keys.onReturnPressed: switcher.choose(list.currentIndex)
            Keys.onEnterPressed: switcher.choose(list.currentIndex)
        }
        ListView {
            id: list
            objectName: "switcherList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 300)
            clip: true
            model: matches
            highlightMoveDuration: 0
            delegate: ItemDelegate {
                id: row
                required property int index
                required property string name
                required property bool direct
                required property int unread
                width: ListView.view.width
                height: 32
                focusPolicy: Qt.NoFocus
                highlighted: ListView.isCurrentItem
                onClicked: switcher.choose(index)
                background: Rectangle {
                    color: row.highlighted ? Theme.selection : (row.hovered ? Theme.raised : "transparent")
                    radius: 2
                }
                contentItem: RowLayout {
                    Label {
                        Layout.fillWidth: true
                        text: (row.direct ? "@ " : "# ") + row.name
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        color: Theme.text
                        font.bold: row.unread > 0
                    }
                    Label {
                        visible: row.unread > 0
                        text: qsTr("%n unread", "", row.unread)
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }
        }
        Label {
            visible: list.count === 0
            text: qsTr("No room or person by that name.")
            color: Theme.mutedText
        }
    }
}
