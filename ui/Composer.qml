import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Enter sends, Shift+Enter adds a line; Tab and Shift+Tab move the focus on (Ctrl+Tab types a
// tab). Says before sending when a message is over the size limit; what the user typed is never
// dropped: it waits in the outbox while disconnected, and each room keeps its draft across room
// switches and restarts. It can also answer a message (a reply, shown quoted) or change one of
// ours (edit): a bar above the text says which, and Esc or its ✕ goes back to a new message.
Rectangle {
    id: composer
    required property ChatController chat
    required property ChatSettings preferences

    function focusInput() { input.forceActiveFocus() }

    // A new message went into the room (not an edit).
    signal sent()

    // A reply: the message answered. An edit: the message changed (its text is in the field
    // meanwhile; the draft waits in the settings).
    property string replyToId: ""
    property string replySender: ""
    property string replyText: ""
    property string editingId: ""
    readonly property bool inMode: replyToId.length > 0 || editingId.length > 0

    function startReply(messageId, sender, text) {
        if (editingId.length > 0)
            cancelMode()
        replyToId = messageId
        replySender = sender
        replyText = text
        focusInput()
    }
    function startEdit(messageId, text) {
        replyToId = ""
        editingId = messageId
        loadingDraft = true
        input.text = text
        input.cursorPosition = input.length
        loadingDraft = false
        focusInput()
    }
    // Back to a new message, with the draft.
    function cancelMode() {
        const wasEditing = editingId.length > 0
        replyToId = ""
        replySender = ""
        replyText = ""
        editingId = ""
        if (wasEditing)
            loadDraft()
    }

    readonly property string problem: chat.sendProblem(input.text)
    readonly property string roomKey: chat.currentRoomKey

    // The row is as tall as the taller of the text and the Send button (else the button is cut off).
    implicitHeight: Math.min(180, Math.max(input.implicitHeight, sendButton.implicitHeight) + 2 * Theme.spacing
                                  + (warning.visible ? warning.height : 0)
                                  + (modeBar.visible ? modeBar.implicitHeight + 2 : 0))
    color: Theme.surface
    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.border }
    // Where the keyboard is: the text field has no frame of its own.
    Rectangle {
        objectName: "composerFocusFrame"
        anchors.fill: parent
        anchors.margins: 2
        color: "transparent"
        radius: Theme.radius
        border.width: 2
        border.color: Theme.accent
        visible: input.activeFocus
    }

    // The draft of the room now in view replaces the text (the text of the room left is kept
    // already: every change is handed to the settings).
    property bool loadingDraft: false
    function loadDraft() {
        loadingDraft = true
        input.text = roomKey.length > 0 ? preferences.draft(roomKey) : ""
        input.cursorPosition = input.length
        loadingDraft = false
    }
    onRoomKeyChanged: {
        replyToId = ""
        editingId = ""
        loadDraft()
    }
    Component.onCompleted: loadDraft()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 2
        RowLayout {
            id: modeBar
            objectName: "composerModeBar"
            visible: composer.inMode
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                objectName: "composerModeText"
                Layout.fillWidth: true
                textFormat: Text.PlainText
                elide: Text.ElideRight
                maximumLineCount: 1
                color: Theme.mutedText
                font.pixelSize: Theme.smallFontSize
                text: composer.editingId.length > 0
                      ? qsTr("Editing your message (Esc to cancel)")
                      : qsTr("Replying to %1: %2").arg(composer.replySender)
                            .arg(composer.replyText.split("\n")[0].substring(0, 120))
            }
            ToolButton {
                objectName: "composerModeCancel"
                text: "✕"
                font.pixelSize: Theme.smallFontSize
                Accessible.name: composer.editingId.length > 0 ? qsTr("Cancel editing") : qsTr("Cancel reply")
                onClicked: {
                    composer.cancelMode()
                    composer.focusInput()
                }
            }
        }
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
                    placeholderText: composer.chat.currentRoom.length === 0 ? ""
                                     : (composer.chat.currentRoomDirect
                                        ? qsTr("Message %1").arg(composer.chat.currentRoom)
                                        : qsTr("Message #%1").arg(composer.chat.currentRoom))
                    wrapMode: TextEdit.Wrap
                    textFormat: TextEdit.PlainText
                    color: Theme.text
                    background: null
                    Accessible.name: composer.chat.currentRoom.length > 0
                                     ? qsTr("Message #%1").arg(composer.chat.currentRoom) : qsTr("Message")
                    Accessible.description: qsTr("Enter sends, Shift+Enter starts a new line")
                    Keys.onReturnPressed: (event) => {
                        if (event.modifiers & Qt.ShiftModifier) {
                            event.accepted = false
                        } else {
                            composer.send()
                            event.accepted = true
                        }
                    }
                    Keys.onEnterPressed: (event) => Keys.returnPressed(event)
                    Keys.onEscapePressed: (event) => {
                        event.accepted = composer.inMode
                        composer.cancelMode()
                    }
                    // A text area takes Tab as text; here it moves the focus like everywhere else.
                    Keys.onTabPressed: (event) => {
                        if (event.modifiers & Qt.ControlModifier) {
                            input.insert(input.cursorPosition, "\t")
                        } else {
                            const next = input.nextItemInFocusChain(true)
                            if (next)
                                next.forceActiveFocus(Qt.TabFocusReason)
                        }
                        event.accepted = true
                    }
                    Keys.onBacktabPressed: (event) => {
                        const previous = input.nextItemInFocusChain(false)
                        if (previous)
                            previous.forceActiveFocus(Qt.BacktabFocusReason)
                        event.accepted = true
                    }
                    onTextChanged: {
                        if (composer.loadingDraft || composer.editingId.length > 0)
                            return
                        if (text.length > 0)
                            composer.chat.userTyping()
                        composer.preferences.setDraft(composer.roomKey, text)
                    }
                }
            }
            PrimaryButton {
                id: sendButton
                objectName: "sendButton"
                text: composer.editingId.length > 0 ? qsTr("Save") : qsTr("Send")
                Layout.alignment: Qt.AlignBottom
                enabled: input.text.trim().length > 0 && composer.problem.length === 0
                onClicked: composer.send()
            }
        }
    }

    // The text stays in the composer unless the room took it (into the outbox at least).
    function send() {
        if (input.text.trim().length === 0 || problem.length > 0)
            return
        if (editingId.length > 0) {
            if (chat.editMessage(editingId, input.text))
                cancelMode()
            return
        }
        if (chat.send(input.text, replyToId)) {
            input.clear()
            cancelMode()
            composer.sent()
        }
    }
}
