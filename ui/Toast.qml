import QtQuick
import QtQuick.Controls

// A short-lived banner for notifications inside the window (as well as the desktop's own).
// Not closed by Esc: a popup that is would block the window's keyboard shortcuts while shown
// (Qt Quick Controls does so for popups that close on Esc), and a toast never has the focus.
Popup {
    id: toast
    property string title
    property string body

    function show(title, body) {
        toast.title = title
        toast.body = body
        open()
        hideTimer.restart()
    }

    // Below what must stay usable at the top of the page (the room's header with Notify and
    // Mute): set by the window.
    property real coveredTop: 0
    x: parent ? parent.width - width - 16 : 0
    y: coveredTop + 16
    width: Math.min(360, parent ? parent.width - 32 : 360)
    padding: 12
    closePolicy: Popup.CloseOnPressOutside
    background: Rectangle {
        color: Theme.raised
        border.color: Theme.border
        radius: Theme.radius
    }
    contentItem: Column {
        spacing: 4
        Label {
            width: parent.width
            text: toast.title
            textFormat: Text.PlainText
            font.bold: true
            color: Theme.text
            elide: Text.ElideRight
        }
        Label {
            width: parent.width
            text: toast.body
            textFormat: Text.PlainText
            color: Theme.mutedText
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
        }
    }
    Timer { id: hideTimer; interval: 5000; onTriggered: toast.close() }
}
