pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// F1 or "?": every keyboard shortcut of the chat, in one place.
Dialog {
    id: dialog
    objectName: "shortcutsDialog"
    title: qsTr("Keyboard shortcuts")
    modal: true
    standardButtons: Dialog.Close
    anchors.centerIn: parent

    readonly property var shortcuts: [
        { keys: qsTr("Tab / Shift+Tab"), what: qsTr("Move to the next / previous control") },
        { keys: qsTr("Ctrl+K"), what: qsTr("Go to a room or a person") },
        { keys: qsTr("Alt+↓ / Alt+↑"), what: qsTr("Next / previous room") },
        { keys: qsTr("Alt+Shift+↓ / Alt+Shift+↑"), what: qsTr("Next / previous room with unread messages") },
        { keys: qsTr("Page Up / Page Down"), what: qsTr("Scroll the conversation") },
        { keys: qsTr("Ctrl+F"), what: qsTr("Search this room; Enter goes to a result, ↑/↓ choose") },
        { keys: qsTr("Esc"), what: qsTr("Back to the message box") },
        { keys: qsTr("Enter"), what: qsTr("Send the message") },
        { keys: qsTr("Shift+Enter"), what: qsTr("New line in the message") },
        { keys: qsTr("Ctrl+Tab"), what: qsTr("Tab character in the message") },
        { keys: qsTr("↑ / ↓, Enter"), what: qsTr("In the room list: move, open the room") },
        { keys: qsTr("F1 or ?"), what: qsTr("This list") },
        { keys: qsTr("Ctrl+Q"), what: qsTr("Quit") }
    ]

    GridLayout {
        columns: 2
        columnSpacing: Theme.spacing * 3
        rowSpacing: Theme.spacing
        Repeater {
            model: dialog.shortcuts
            delegate: Label {
                required property var modelData
                required property int index
                text: modelData.keys
                font.bold: true
                Layout.row: index
                Layout.column: 0
            }
        }
        Repeater {
            model: dialog.shortcuts
            delegate: Label {
                required property var modelData
                required property int index
                text: modelData.what
                Layout.row: index
                Layout.column: 1
            }
        }
    }
}
