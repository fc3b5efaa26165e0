import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The conversation: follows new messages while at the bottom, holds still while the user reads
// further up, and loads older pages when scrolled to the top. Owns the message menu, the reaction
// picker and the delete confirmation, shared by all delegates.
// Not "pragma ComponentBehavior: Bound": Qt 6.4 then fails to create the header ("Component is
// not ready"), which tst_qmlload catches.
ListView {
    id: view
    required property ChatController chat

    objectName: "messageView"
    clip: true
    model: chat.messages
    spacing: 0
    boundsBehavior: Flickable.StopAtBounds
    reuseItems: false
    ScrollBar.vertical: ScrollBar {}

    // The composer answers or edits (ChatPage connects these).
    signal replyRequested(string messageId, string sender, string text)
    signal editRequested(string messageId, string text)

    // A few quick reactions; anything else can be sent by any client.
    readonly property var quickReactions: ["👍", "❤️", "😂", "🎉", "😮", "😢"]

    // Goes to the message `messageId` (a reply's quote was clicked) and lights it up briefly.
    // False when it is not loaded; an older page is asked for then.
    property string highlightedId: ""
    function showMessage(messageId) {
        const row = chat.messages.rowOfId(messageId)
        if (row < 0) {
            if (chat.messages.canLoadOlder)
                chat.loadOlder()
            return false
        }
        following = false
        positionViewAtIndex(row, ListView.Center)
        highlightedId = messageId
        highlightTimer.restart()
        return true
    }
    Timer {
        id: highlightTimer
        interval: 1500
        onTriggered: view.highlightedId = ""
    }

    // Delegates are not reused: a pooled delegate of another room (or of a tall message) kept
    // its old height and text for a frame and more, which showed one room's rows in another.
    property bool following: true
    onMovementEnded: following = atYEnd
    onCountChanged: if (following) Qt.callLater(followEnd)
    // Heights are known only once delegates exist; keep the bottom in view while following.
    onContentHeightChanged: if (following) Qt.callLater(followEnd)
    onModelChanged: {
        following = true
        Qt.callLater(followEnd)
    }
    function followEnd() {
        if (following && count > 0)
            positionViewAtEnd()
    }
    // Page Up / Page Down: most of a screen at a time, keeping a few lines of context. Back at the
    // bottom, the view follows new messages again.
    function scrollPage(direction) {
        if (count === 0)
            return
        const top = originY
        const bottom = Math.max(originY, originY + contentHeight - height)
        contentY = Math.max(top, Math.min(bottom, contentY + direction * height * 0.85))
        following = contentY >= bottom - 1
        if (following)
            positionViewAtEnd()
    }
    onAtYBeginningChanged: if (atYBeginning && count > 0 && chat.messages.canLoadOlder) chat.loadOlder()

    header: Item {
        width: view.width
        height: view.chat.messages.loadingOlder ? 40 : (view.chat.messages.canLoadOlder ? 24 : 56)
        BusyIndicator {
            anchors.centerIn: parent
            running: view.chat.messages.loadingOlder
            visible: running
            height: 28
        }
        Label {
            visible: !view.chat.messages.canLoadOlder && view.count > 0
            anchors.centerIn: parent
            text: qsTr("This is the beginning of the room's history.")
            color: Theme.mutedText
            font.pixelSize: Theme.smallFontSize
        }
    }

    Label {
        anchors.centerIn: parent
        visible: view.count === 0 && view.chat.currentRoomProblem.length === 0
        width: parent.width * 0.7
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: view.chat.currentRoom.length === 0
              ? qsTr("Join a room to start chatting.")
              : qsTr("No messages yet. Say hello!")
    }

    delegate: MessageDelegate {
        id: messageDelegate
        width: view.width
        highlighted: view.highlightedId.length > 0 && view.highlightedId === messageId
        onRetry: (messageId) => view.chat.retry(messageId)
        onCopyText: (text) => view.chat.copyToClipboard(text)
        onSetExpanded: (row, expanded) => view.chat.messages.setExpanded(row, expanded)
        onReply: (messageId, sender, text) => view.replyRequested(messageId, sender, text)
        onReact: (messageId, reaction) => view.chat.toggleReaction(messageId, reaction)
        onJumpTo: (messageId) => view.showMessage(messageId)
        onActionsRequested: (anchor) => {
            messageMenu.target = messageDelegate
            messageMenu.popup(anchor, 0, anchor.height)
        }
        onReactionsRequested: (anchor) => {
            reactionPicker.target = messageDelegate
            reactionPicker.parent = anchor
            reactionPicker.open()
        }
    }

    Menu {
        id: messageMenu
        objectName: "messageMenu"
        property Item target: null
        MenuItem {
            objectName: "replyMenuItem"
            text: qsTr("Reply")
            onTriggered: view.replyRequested(messageMenu.target.messageId, messageMenu.target.sender,
                                             messageMenu.target.plainText)
        }
        MenuItem {
            objectName: "copyTextMenuItem"
            text: qsTr("Copy text")
            onTriggered: view.chat.copyToClipboard(messageMenu.target.plainText)
        }
        MenuItem {
            objectName: "editMenuItem"
            text: qsTr("Edit")
            enabled: messageMenu.target !== null && messageMenu.target.canChange
            onTriggered: view.editRequested(messageMenu.target.messageId, messageMenu.target.plainText)
        }
        MenuItem {
            objectName: "deleteMenuItem"
            text: qsTr("Delete…")
            enabled: messageMenu.target !== null && messageMenu.target.canChange
            onTriggered: {
                deleteDialog.messageId = messageMenu.target.messageId
                deleteDialog.open()
            }
        }
    }

    Popup {
        id: reactionPicker
        objectName: "reactionPicker"
        property Item target: null
        y: -height
        padding: 4
        Row {
            spacing: 2
            Repeater {
                model: view.quickReactions
                delegate: ToolButton {
                    required property string modelData
                    objectName: "quickReaction:" + modelData
                    text: modelData
                    Accessible.name: qsTr("React with %1").arg(modelData)
                    onClicked: {
                        if (reactionPicker.target)
                            view.chat.toggleReaction(reactionPicker.target.messageId, modelData)
                        reactionPicker.close()
                    }
                }
            }
        }
    }

    Dialog {
        id: deleteDialog
        objectName: "deleteDialog"
        property string messageId
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: qsTr("Delete this message?")
        standardButtons: Dialog.Ok | Dialog.Cancel
        Label {
            text: qsTr("Everyone in the room will see that it was deleted.")
            wrapMode: Text.Wrap
        }
        onAccepted: view.chat.deleteMessage(messageId)
    }
}
