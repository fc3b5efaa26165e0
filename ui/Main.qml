import QtQuick
import QtQuick.Controls
import Qt.labs.settings
import Redwire.Models

// The window: the connect page first, then the chat (and monitor) pages.
ApplicationWindow {
    id: window

    // From the command line: rooms to open, and whether to connect at once.
    property list<string> startRooms
    property bool autoConnect: false

    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    title: qsTr("Redwire")
    color: Theme.background

    Settings {
        category: "window"
        property alias x: window.x
        property alias y: window.y
        property alias width: window.width
        property alias height: window.height
        property alias theme: window.themeMode
    }
    property string themeMode: "system"
    onThemeModeChanged: Theme.mode = themeMode

    StackView {
        id: stack
        anchors.fill: parent
        initialItem: connectPage
    }

    Component {
        id: connectPage
        ConnectPage {
            onConnectRequested: Connection.prepare()
        }
    }

    Connections {
        target: Connection
        function onReady(options) {
            stack.replace(null, chatPage)
        }
    }

    Component {
        id: chatPage
        Page {
            background: Rectangle { color: Theme.background }
            Label {
                anchors.centerIn: parent
                color: Theme.text
                text: qsTr("Connected to %1").arg(Connection.endpoint)
            }
        }
    }

    Component.onCompleted: {
        Theme.mode = themeMode
        if (autoConnect && Connection.nickname.length > 0)
            Connection.prepare()
    }
}
