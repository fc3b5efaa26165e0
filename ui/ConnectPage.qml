pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Where a session starts: who you are and which server. A private local server is one switch
// away when redis-server is installed.
Page {
    id: page

    signal connectRequested()
    property string errorText: ""

    background: Rectangle { color: Theme.background }

    Connections {
        target: Connection
        function onFailed(message) { page.errorText = message }
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(460, parent.width - 48)
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing * 1.5

            Item { Layout.preferredHeight: 24 }

            Label {
                text: qsTr("Redwire")
                font.pixelSize: 30
                font.bold: true
                color: Theme.accent
            }
            Label {
                text: qsTr("Chat and channel monitoring over Redis Pub/Sub.")
                color: Theme.mutedText
                Layout.fillWidth: true
                wrapMode: Text.Wrap
            }

            Label { text: qsTr("Nickname"); color: Theme.text; font.bold: true }
            TextField {
                id: nickField
                objectName: "nickField"
                Layout.fillWidth: true
                placeholderText: qsTr("How others see you")
                text: Connection.nickname
                Accessible.name: qsTr("Nickname")
                maximumLength: 64
                onTextEdited: Connection.nickname = text
                Keys.onReturnPressed: connectButton.clicked()
                // Enter connects from here, so the keyboard starts here (also after "Change server").
                Component.onCompleted: forceActiveFocus()
            }

            Switch {
                id: localSwitch
                objectName: "localSwitch"
                text: qsTr("Use a local server")
                checked: Connection.useLocalServer
                enabled: Connection.localServerAvailable
                onToggled: Connection.useLocalServer = checked
            }
            Label {
                visible: Connection.useLocalServer || !Connection.localServerAvailable
                text: Connection.localServerStatus
                color: Theme.mutedText
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                textFormat: Text.PlainText
            }

            GridLayout {
                visible: !Connection.useLocalServer
                columns: 2
                columnSpacing: Theme.spacing
                rowSpacing: Theme.spacing
                Layout.fillWidth: true

                Label { text: qsTr("Host or URL"); color: Theme.text }
                TextField {
                    objectName: "hostField"
                    Layout.fillWidth: true
                    text: Connection.host
                    placeholderText: qsTr("127.0.0.1, or redis+sentinel://host:26379/mymaster")
                    Accessible.name: qsTr("Host or URL")
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("A host name, or a whole address: redis://[user@]host[:port][/db], rediss://…, or redis+sentinel://host:port[,host:port…]/master-name[/db] to follow the master through failovers.")
                    onTextEdited: Connection.host = text
                }
                Label { text: qsTr("Port"); color: Theme.text }
                SpinBox {
                    objectName: "portField"
                    // A URL in the host field names its own port(s).
                    enabled: Connection.host.indexOf("://") < 0
                    from: 1
                    to: 65535
                    editable: true
                    value: Connection.port
                    onValueModified: Connection.port = value
                    textFromValue: (value) => String(value)
                }
                Label { text: qsTr("Username"); color: Theme.text }
                TextField {
                    Layout.fillWidth: true
                    placeholderText: qsTr("default")
                    text: Connection.username
                    Accessible.name: qsTr("Username")
                    onTextEdited: Connection.username = text
                }
                Label { text: qsTr("Password"); color: Theme.text }
                TextField {
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    text: Connection.password
                    Accessible.name: qsTr("Password")
                    onTextEdited: Connection.password = text
                    Keys.onReturnPressed: connectButton.clicked()
                }
                Item { width: 1; height: 1 }
                CheckBox {
                    text: qsTr("Remember the password in the system keychain")
                    checked: Connection.rememberPassword
                    onToggled: Connection.rememberPassword = checked
                }
                Label { text: qsTr("Database"); color: Theme.text }
                SpinBox {
                    from: 0
                    to: 1024
                    editable: true
                    value: Connection.database
                    onValueModified: Connection.database = value
                }
                Label { text: qsTr("TLS"); color: Theme.text }
                CheckBox {
                    text: Connection.tlsAvailable ? qsTr("Encrypt the connection")
                                                  : qsTr("Not available in this build")
                    enabled: Connection.tlsAvailable
                    checked: Connection.useTls
                    onToggled: Connection.useTls = checked
                }
                Label { visible: Connection.useTls; text: qsTr("CA file"); color: Theme.text }
                TextField {
                    visible: Connection.useTls
                    Layout.fillWidth: true
                    placeholderText: qsTr("System certificates")
                    text: Connection.tlsCaFile
                    Accessible.name: qsTr("CA file")
                    onTextEdited: Connection.tlsCaFile = text
                }
                Label { visible: Connection.useTls; text: qsTr("Client certificate"); color: Theme.text }
                TextField {
                    visible: Connection.useTls
                    Layout.fillWidth: true
                    text: Connection.tlsCertFile
                    Accessible.name: qsTr("Client certificate")
                    onTextEdited: Connection.tlsCertFile = text
                }
                Label { visible: Connection.useTls; text: qsTr("Client key"); color: Theme.text }
                TextField {
                    visible: Connection.useTls
                    Layout.fillWidth: true
                    text: Connection.tlsKeyFile
                    Accessible.name: qsTr("Client key")
                    onTextEdited: Connection.tlsKeyFile = text
                }
                Label { visible: Connection.useTls; text: qsTr("Server name"); color: Theme.text }
                TextField {
                    visible: Connection.useTls
                    Layout.fillWidth: true
                    placeholderText: Connection.host
                    text: Connection.tlsServerName
                    Accessible.name: qsTr("Server name")
                    onTextEdited: Connection.tlsServerName = text
                }
            }

            Label {
                visible: Connection.keychainMessage.length > 0
                text: Connection.keychainMessage
                color: Theme.mutedText
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                textFormat: Text.PlainText
            }
            Label {
                objectName: "errorLabel"
                visible: page.errorText.length > 0
                text: page.errorText
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                textFormat: Text.PlainText
            }

            RowLayout {
                Layout.fillWidth: true
                Button {
                    text: qsTr("About")
                    flat: true
                    onClicked: about.open()
                    AboutDialog { id: about; parent: Overlay.overlay }
                }
                BusyIndicator {
                    running: Connection.localServerStarting
                    visible: running
                    Layout.preferredHeight: 28
                    Layout.preferredWidth: 28
                }
                Item { Layout.fillWidth: true }
                PrimaryButton {
                    id: connectButton
                    objectName: "connectButton"
                    text: qsTr("Connect")
                    enabled: nickField.text.trim().length > 0 && !Connection.localServerStarting
                    onClicked: {
                        page.errorText = Connection.validate()
                        if (page.errorText.length === 0)
                            page.connectRequested()
                    }
                }
            }
            Item { Layout.preferredHeight: 24 }
        }
    }
}
