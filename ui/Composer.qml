import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Enter sends, Shift+Enter adds a line. Says before sending when a message is over the size
// limit; what the user typed is never dropped (it waits in the outbox while disconnected).
Rectangle {
    id: composer
    required property ChatController chat

    function focusInput() { input.forceActiveFocus() }

    readonly property int byteCount: chat.utf8Length(input.text)
    readonly property bool tooLong: byteCount > chat.payloadLimit

    implicitHeight: Math.min(180, input.implicitHeight + 2 * Theme.spacing + (warning.visible ? warning.height : 0))
    color: Theme.surface
    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.border }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 2
        Label {
            id: warning
            visible: composer.tooLong
            text: qsTr("This message is %1 bytes; the limit is %2. It will be cut.")
                    .arg(composer.byteCount).arg(composer.chat.payloadLimit)
            color: Theme.warning
            font.pixelSize: Theme.smallFontSize
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                TextArea {
                    id: input
                    objectName: "composerInput"
                    placeholderText: composer.chat.currentRoom.length > 0
                                     ? qsTr("Message #%1").arg(composer.chat.currentRoom) : ""
                    wrapMode: TextEdit.Wrap
                    textFormat: TextEdit.PlainText
                    color: Theme.text
                    background: null
                    Keys.onReturnPressed: (event) => {
                        if (event.modifiers & Qt.ShiftModifier) {
                            event.accepted = false
                        } else {
                            composer.send()
                            event.accepted = true
                        }
                    }
                    Keys.onEnterPressed: (event) => Keys.returnPressed(event)
                    onTextChanged: if (text.length > 0) composer.chat.userTyping()
                }
            }
            Button {
                objectName: "sendButton"
                text: qsTr("Send")
                highlighted: true
                enabled: input.text.trim().length > 0
                onClicked: composer.send()
            }
        }
    }

    function send() {
        if (input.text.trim().length === 0)
            return
        chat.send(input.text)
        input.clear()
    }
}
