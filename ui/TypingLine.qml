import QtQuick
import QtQuick.Controls

// "alice is typing…" under the messages; keeps its height so the view does not jump.
Label {
    leftPadding: Theme.spacing * 2
    height: 20
    color: Theme.mutedText
    font.italic: true
    font.pixelSize: Theme.smallFontSize
    textFormat: Text.PlainText
    elide: Text.ElideRight
}
