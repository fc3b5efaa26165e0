import QtQuick

// A ring round a control that has the keyboard focus, for controls whose style shows it too
// faintly (the Basic style's tool buttons only tint their text; a red button border vanishes on
// the red connection banner). Give such tool buttons `focusPolicy: Qt.TabFocus`, so that a click
// does not leave a ring behind.
Rectangle {
    // A Control (Item here: the style's Control types are not the templates' Control type).
    required property Item control
    property color ringColor: Theme.accent
    anchors.fill: parent
    anchors.margins: -1
    color: "transparent"
    radius: Theme.radius
    border.width: 2
    border.color: ringColor
    visible: control.activeFocus
}
