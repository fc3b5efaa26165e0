import QtQuick
import QtQuick.Controls

// A page's main action (Connect, Send): filled with the accent colour when it can be used; an
// outline with muted text when it cannot, so the two states differ at a glance.
Button {
    id: control
    highlighted: enabled
    Accessible.role: Accessible.Button
    Accessible.name: text

    contentItem: Text {
        text: control.text
        font: control.font
        color: control.enabled ? Theme.accentText : Theme.mutedText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        implicitWidth: 88
        implicitHeight: 36
        radius: Theme.radius
        color: !control.enabled ? "transparent"
             : control.down ? Qt.darker(Theme.accent, 1.2)
             : control.hovered ? Qt.lighter(Theme.accent, 1.08) : Theme.accent
        border.width: !control.enabled ? 1 : control.visualFocus ? 2 : 0
        border.color: control.enabled ? Theme.text : Theme.border
    }
}
