import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The connection state, always visible: connected, connecting, or the error and a countdown to
// the next attempt with a button to retry now. It names the server, and while there is no
// connection offers to go back to the connect page (a wrong port, a server that is gone).
Rectangle {
    id: banner

    // A RedisClient.ClientState: Disconnected, Connecting, Connected, Reconnecting, NotResponding
    // (connected, but the server answers nothing: frozen or paused; the connection is kept)
    required property int connectionState
    required property string errorText
    required property int retryInMs
    required property string endpoint
    signal retryNow()
    signal changeServer()

    readonly property bool healthy: connectionState === RedisClient.Connected
    property int secondsLeft: Math.ceil(retryInMs / 1000)

    implicitHeight: healthy ? 4 : row.implicitHeight + 2 * Theme.spacing
    color: healthy ? Theme.ok
                   : (connectionState === RedisClient.Reconnecting || connectionState === RedisClient.Disconnected
                      ? Theme.danger : Theme.warning)
    Behavior on implicitHeight { NumberAnimation { duration: 120 } }

    Timer {
        interval: 1000
        repeat: true
        running: banner.connectionState === RedisClient.Reconnecting && banner.secondsLeft > 0
        onTriggered: banner.secondsLeft = Math.max(0, banner.secondsLeft - 1)
    }
    onRetryInMsChanged: secondsLeft = Math.ceil(retryInMs / 1000)

    // An error as a sentence of its own: "Connection refused" -> "Connection refused."
    function sentence(text) { return /[.!?…]$/.test(text) ? text : text + "." }

    RowLayout {
        id: row
        visible: !banner.healthy
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        BusyIndicator {
            running: banner.connectionState === RedisClient.Connecting
                     || banner.connectionState === RedisClient.NotResponding
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
                case RedisClient.Connecting:
                    return qsTr("Connecting to %1…").arg(banner.endpoint)
                case RedisClient.Reconnecting:
                    // The error as a sentence of its own
                    // ("127.0.0.1:6390: Connection refused. Reconnecting in 2 s.").
                    // The countdown reaches 0 before the attempt's outcome is known: say so.
                    return (banner.secondsLeft > 0
                            ? qsTr("%1: %2 Reconnecting in %n s.", "", banner.secondsLeft)
                            : qsTr("%1: %2 Reconnecting…"))
                        .arg(banner.endpoint)
                        .arg(banner.sentence(banner.errorText))
                case RedisClient.NotResponding:
                    return qsTr("%1 is not responding. Waiting for it; the connection stays open, so nothing it holds for us is lost.")
                        .arg(banner.endpoint)
                case RedisClient.Disconnected:
                    return banner.errorText.length > 0 ? qsTr("%1: %2").arg(banner.endpoint).arg(banner.sentence(banner.errorText))
                                                       : qsTr("Not connected to %1.").arg(banner.endpoint)
                default:
                    return ""
                }
            }
        }
        Button {
            id: retryButton
            visible: banner.connectionState === RedisClient.Reconnecting
                     || banner.connectionState === RedisClient.Disconnected
            text: qsTr("Retry now")
            onClicked: banner.retryNow()
            // The style's focus border is the accent colour, lost on this red: a white ring.
            FocusFrame { control: retryButton; ringColor: "white"; anchors.margins: -3 }
        }
        Button {
            id: changeButton
            FocusFrame { control: changeButton; ringColor: "white"; anchors.margins: -3 }
            objectName: "changeServerButton"
            visible: banner.connectionState === RedisClient.Connecting
                     || banner.connectionState === RedisClient.Reconnecting
                     || banner.connectionState === RedisClient.Disconnected
            text: qsTr("Change server")
            onClicked: banner.changeServer()
        }
    }
}
