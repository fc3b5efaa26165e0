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

    readonly property string problem: chat.sendProblem(input.text)

    implicitHeight: Math.min(180, input.implicitHeight + 2 * Theme.spacing + (warning.visible ? warning.height : 0))
    color: Theme.surface
    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.border }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 2
        Label {
            id: warning
            objectName: "composerWarning"
            visible: composer.problem.length > 0
            text: composer.problem
            color: Theme.warning
            font.pixelSize: Theme.smallFontSize
            textFormat: Text.PlainText
            Layout.fillWidth: true
            wrapMode: Text.Wrap
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
                enabled: input.text.trim().length > 0 && composer.problem.length === 0
                onClicked: composer.send()
            }
        }
    }

    // The text stays in the composer unless the room took it (into the outbox at least).
    function send() {
        if (input.text.trim().length === 0 || problem.length > 0)
            return
        if (chat.send(input.text))
            input.clear()
    }
}
