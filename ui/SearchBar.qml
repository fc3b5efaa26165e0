pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Ctrl+F: searches the room in view, first the messages loaded, then the room's history on the
// server, a few thousand messages at a time ("Search further" goes on). Typing searches; Enter
// (or a click) goes to a result in its context; ↑/↓ choose; Esc closes.
Rectangle {
    id: bar

    required property ChatController chat
    signal jumpTo(string streamId)
    signal closeRequested()

    objectName: "searchBar"
    color: Theme.raised
    implicitHeight: column.implicitHeight + Theme.spacing * 2

    function open() {
        visible = true
        field.forceActiveFocus()
        field.selectAll()
    }
    function close() {
        visible = false
        bar.chat.search.clear()
        field.text = ""
        bar.closeRequested()
    }
    // Enter: the chosen result (the newest first), or the first one to come when none is in yet.
    property bool jumpWhenFound: false
    function choose(row) {
        if (row < 0 || row >= results.count)
            return
        results.currentIndex = row
        bar.jumpTo(bar.chat.search.streamIdAt(row))
    }
    function enter() {
        if (field.text.trim() !== bar.chat.search.text) {
            debounce.stop()
            bar.chat.search.search(field.text)
        }
        if (results.count > 0)
            choose(Math.max(0, results.currentIndex))
        else
            jumpWhenFound = true
    }
    Connections {
        target: bar.chat.search
        function onRowsInserted() {
            if (bar.jumpWhenFound && bar.chat.search.rowCount() > 0) {
                bar.jumpWhenFound = false
                Qt.callLater(bar.choose, 0)
            }
        }
        function onModelReset() { results.currentIndex = -1 }
    }

    Timer {
        id: debounce
        interval: 300
        onTriggered: bar.chat.search.search(field.text)
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing / 2

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TextField {
                id: field
                objectName: "searchField"
                Layout.fillWidth: true
                placeholderText: qsTr("Search this room")
                Accessible.name: qsTr("Search this room")
                onTextEdited: {
                    bar.jumpWhenFound = false
                    debounce.restart()
                }
                Keys.onReturnPressed: bar.enter()
                Keys.onEnterPressed: bar.enter()
                Keys.onEscapePressed: bar.close()
                Keys.onDownPressed: results.currentIndex = Math.min(results.count - 1, results.currentIndex + 1)
                Keys.onUpPressed: results.currentIndex = Math.max(0, results.currentIndex - 1)
            }
            BusyIndicator {
                running: bar.chat.search.searching
                visible: running
                Layout.preferredHeight: field.implicitHeight
                Layout.preferredWidth: field.implicitHeight
            }
            Button {
                objectName: "searchFurther"
                visible: bar.chat.search.canSearchFurther
                text: qsTr("Search further")
                onClicked: bar.chat.search.searchFurther()
            }
            ToolButton {
                text: "✕"
                Accessible.name: qsTr("Close search")
                onClicked: bar.close()
            }
        }
        Label {
            objectName: "searchStatus"
            visible: text.length > 0
            Layout.fillWidth: true
            text: bar.chat.search.statusText
            color: Theme.mutedText
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
        }
        ListView {
            id: results
            objectName: "searchResults"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 180)
            visible: count > 0
            clip: true
            model: bar.chat.search
            currentIndex: -1
            ScrollBar.vertical: ScrollBar {}
            delegate: ItemDelegate {
                id: hit
                required property int index
                required property string streamId
                required property string sender
                required property string plainText
                required property date timestamp
                required property bool external
                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                onClicked: bar.choose(index)
                contentItem: RowLayout {
                    spacing: Theme.spacing
                    Label {
                        text: hit.external ? qsTr("external") : hit.sender
                        textFormat: Text.PlainText
                        font.bold: true
                        color: hit.external ? Theme.mutedText : Theme.colorFor(hit.sender)
                    }
                    Label {
                        Layout.fillWidth: true
                        text: hit.plainText.replace(/\s+/g, " ")
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        maximumLineCount: 1
                        color: Theme.text
                    }
                    Label {
                        text: Qt.formatDateTime(hit.timestamp, "d MMM hh:mm")
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }
        }
    }
}
