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
    signal profileRequested(string nickname)

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
    onFollowingChanged: {
        if (following)
            unreadFromRow = -1
        chat.setReadingLatest(following)
    }
    onMovementEnded: {
        following = atYEnd
        countNewBelow()
    }
    onCountChanged: if (following) Qt.callLater(followEnd)
    // Heights are known only once delegates exist; keep the bottom in view while following.
    onContentHeightChanged: {
        if (following)
            Qt.callLater(followEnd)
        else
            Qt.callLater(countNewBelow) // rows took their heights: another row is at the bottom
    }
    onModelChanged: {
        following = true
        dividerShown = false
        anchorStreamId = ""
        unreadFromRow = -1
        chat.setReadingLatest(true)
        Qt.callLater(followEnd)
        Qt.callLater(showDivider)
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

    // Reading further up: the next older page loads before the top is reached, and each page
    // goes in above without moving what the user is looking at (the row at the top stays where
    // it was on screen), until the beginning of the history.
    property string anchorStreamId: ""
    property real anchorOffset: 0
    function rememberAnchor() {
        const row = indexAt(width / 2, contentY + 1)
        const item = row >= 0 ? itemAtIndex(row) : null
        const id = item ? item.streamId : ""
        if (id.length === 0)
            return
        anchorStreamId = id
        anchorOffset = item.y - contentY
    }
    function restoreAnchor() {
        if (anchorStreamId.length === 0 || following)
            return
        const row = chat.messages.rowOfStreamId(anchorStreamId)
        if (row < 0)
            return
        positionViewAtIndex(row, ListView.Beginning)
        const item = itemAtIndex(row)
        if (item)
            contentY = item.y - anchorOffset
    }
    function maybeLoadOlder() {
        if (count === 0 || !chat.messages.canLoadOlder || chat.messages.loadingOlder)
            return
        if (contentY - originY > height)
            return
        if (!following)
            rememberAnchor()
        chat.loadOlder()
    }
    onContentYChanged: {
        if (following)
            return
        maybeLoadOlder()
        Qt.callLater(countNewBelow)
    }
    onAtYBeginningChanged: if (atYBeginning) maybeLoadOlder()
    Connections {
        target: view.chat.messages
        function onRowsInserted(parent, first, last) {
            const n = last - first + 1
            if (view.unreadFromRow >= 0 && first <= view.unreadFromRow)
                view.unreadFromRow += n
            if (view.following)
                return
            if (last === view.chat.messages.rowCount() - 1 && first > 0) {
                // Arrived below while the user reads further up.
                if (view.unreadFromRow < 0)
                    view.unreadFromRow = first
                Qt.callLater(view.countNewBelow)
            } else {
                view.restoreAnchor()
                Qt.callLater(view.restoreAnchor)
            }
        }
        function onHistoryStateChanged() { Qt.callLater(view.maybeLoadOlder) }
        function onFirstUnreadRowChanged() { Qt.callLater(view.showDivider) }
        function onJumpReady(row) { view.showRow(row) }
    }

    // Opening a room with unread messages: the "new messages" divider, scrolled into view.
    property bool dividerShown: false
    function showDivider() {
        const row = chat.messages.firstUnreadRow
        if (dividerShown || row < 0 || count === 0)
            return
        dividerShown = true
        unreadFromRow = row
        positionViewAtIndex(row, ListView.Beginning)
        contentY = Math.max(originY, contentY - 48) // a little of what was read before
        following = atYEnd
        if (following)
            positionViewAtEnd()
        chat.setReadingLatest(following)
        countNewBelow()
    }
    // A search result: the message in the middle, in context.
    function showRow(row) {
        following = false
        positionViewAtIndex(row, ListView.Center)
        following = atYEnd && row === count - 1
        countNewBelow()
    }

    // "Jump to latest (N new)": N counts the messages from others below the view that arrived
    // while the user was reading further up (or are unread since the divider).
    property int unreadFromRow: -1
    property int newBelow: 0
    function countNewBelow() {
        if (following || unreadFromRow < 0) {
            newBelow = 0
            return
        }
        let bottomRow = indexAt(width / 2, contentY + height - 2)
        if (bottomRow < 0)
            bottomRow = count - 1
        newBelow = chat.messages.conversationRowsAfter(Math.max(bottomRow, unreadFromRow - 1))
    }
    function jumpToLatest() {
        following = true
        positionViewAtEnd()
        chat.messages.clearHighlight()
    }

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
            objectName: "historyBeginning"
            visible: !view.chat.messages.canLoadOlder && view.count > 0
            anchors.centerIn: parent
            textFormat: Text.PlainText
            text: view.chat.currentRoomDirect
                  ? qsTr("This is the beginning of your conversation with %1.").arg(view.chat.currentRoom)
                  : qsTr("This is the beginning of the room's history.")
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

    Button {
        objectName: "jumpToLatest"
        parent: view // over the messages, not scrolled with them
        visible: !view.following && view.count > 0
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.spacing * 2
        text: view.newBelow > 0 ? qsTr("Jump to latest (%1 new)").arg(view.newBelow) : qsTr("Jump to latest")
        highlighted: view.newBelow > 0
        onClicked: view.jumpToLatest()
    }

    delegate: MessageDelegate {
        id: messageDelegate
        width: view.width
        quoteJumpHighlighted: view.highlightedId.length > 0 && view.highlightedId === messageId
        onRetry: (messageId) => view.chat.retry(messageId)
        onCopyText: (text) => view.chat.copyToClipboard(text)
        onSetExpanded: (row, expanded) => view.chat.messages.setExpanded(row, expanded)
        onReply: (messageId, sender, text) => view.replyRequested(messageId, sender, text)
        onReact: (messageId, reaction) => view.chat.toggleReaction(messageId, reaction)
        onJumpTo: (messageId) => view.showMessage(messageId)
        onProfileRequested: (nickname) => view.profileRequested(nickname)
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
            objectName: "senderProfileMenuItem"
            text: messageMenu.target !== null ? qsTr("%1's profile").arg(messageMenu.target.sender) : ""
            visible: messageMenu.target !== null && !messageMenu.target.external
            height: visible ? implicitHeight : 0
            onTriggered: view.profileRequested(messageMenu.target.sender)
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
