import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The conversation: follows new messages while at the bottom, holds still while the user reads
// further up, and loads older pages when scrolled to the top.
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
        width: view.width
        onRetry: (messageId) => view.chat.retry(messageId)
        onCopyText: (text) => view.chat.copyToClipboard(text)
        onSetExpanded: (row, expanded) => view.chat.messages.setExpanded(row, expanded)
    }
}
