import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The connection state, always visible: connected, connecting, or the error and a countdown to
// the next attempt with a button to retry now.
Rectangle {
    id: banner

    // "Disconnected", "Connecting", "Connected", "Reconnecting", "NotResponding" (connected, but
    // the server answers nothing: frozen or paused; the connection is kept)
    required property string connectionState
    required property string errorText
    required property int retryInMs
    required property string endpoint
    signal retryNow()

    readonly property bool healthy: connectionState === "Connected"
    property int secondsLeft: Math.ceil(retryInMs / 1000)

    implicitHeight: healthy ? 4 : row.implicitHeight + 2 * Theme.spacing
    color: healthy ? Theme.ok : (connectionState === "Reconnecting" || connectionState === "Disconnected"
                                 ? Theme.danger : Theme.warning)
    Behavior on implicitHeight { NumberAnimation { duration: 120 } }

    Timer {
        interval: 1000
        repeat: true
        running: banner.connectionState === "Reconnecting" && banner.secondsLeft > 0
        onTriggered: banner.secondsLeft = Math.max(0, banner.secondsLeft - 1)
    }
    onRetryInMsChanged: secondsLeft = Math.ceil(retryInMs / 1000)

    RowLayout {
        id: row
        visible: !banner.healthy
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        BusyIndicator {
            running: banner.connectionState === "Connecting" || banner.connectionState === "NotResponding"
            visible: running
            Layout.preferredHeight: 20
            Layout.preferredWidth: 20
        }
        Label {
            Layout.fillWidth: true
            color: "white"
            elide: Text.ElideRight
            textFormat: Text.PlainText
            text: {
                switch (banner.connectionState) {
                case "Connecting":
                    return qsTr("Connecting to %1…").arg(banner.endpoint)
                case "Reconnecting":
                    // The error as a sentence of its own ("Connection refused. Reconnecting in 2 s.").
                    return qsTr("%1 Reconnecting in %n s.", "", banner.secondsLeft)
                        .arg(/[.!?…]$/.test(banner.errorText) ? banner.errorText : banner.errorText + ".")
                case "NotResponding":
                    return qsTr("%1 is not responding. Waiting for it; the connection stays open, so nothing it holds for us is lost.")
                        .arg(banner.endpoint)
                case "Disconnected":
                    return banner.errorText.length > 0 ? banner.errorText : qsTr("Not connected.")
                default:
                    return ""
                }
            }
        }
        Button {
            visible: banner.connectionState === "Reconnecting" || banner.connectionState === "Disconnected"
            text: qsTr("Retry now")
            onClicked: banner.retryNow()
        }
    }
}
