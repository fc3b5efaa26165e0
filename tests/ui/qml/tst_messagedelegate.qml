import QtQuick
import QtTest
import Redwire.Models
import Redwire.Ui

// One message row: remote text stays text, external senders are marked, pending and failed
// states show, a mention is highlighted, and Retry asks for this message's id.
TestCase {
    id: test
    name: "MessageDelegate"
    width: 600
    height: 200
    when: windowShown
    visible: true

    Component {
        id: delegateComponent
        MessageDelegate {
            width: 600
            messageId: "m1"
            sender: "bob"
            html: "&lt;b&gt;not bold&lt;/b&gt;"
            previewHtml: html
            longText: false
            senderSuspicious: false
            expanded: false
            index: 0
            plainText: "<b>not bold</b>"
            timestamp: new Date(2026, 10, 27, 14, 30)
            kind: MessageListModel.Message
            own: false
            external: false
            mention: false
            delivery: MessageListModel.Received
            truncated: false
            showHeader: true
            showDay: true
            dayLabel: "Today"
            replyTo: ""
            quoteSender: ""
            quoteText: ""
            edited: false
            deleted: false
            reactions: []
            canChange: false
            canReact: true
            streamId: "1-0"
            firstUnread: false
            senderTrust: 0
            highlighted: false
        }
    }

    SignalSpy { id: retrySpy; signalName: "retry" }

    function findText(item, text) {
        if (item.text !== undefined && String(item.text).indexOf(text) >= 0 && item.visible)
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = findText(item.children[i], text)
            if (found)
                return found
        }
        return null
    }

    function test_headerAndDay() {
        const row = createTemporaryObject(delegateComponent, test)
        verify(findText(row, "bob") !== null)
        verify(findText(row, "Today") !== null)
        verify(findText(row, "14:30") !== null)
    }

    function test_unreadDividerOnlyOnTheFirstUnread() {
        const row = createTemporaryObject(delegateComponent, test)
        compare(findText(row, "New messages"), null)
        const first = createTemporaryObject(delegateComponent, test, { firstUnread: true })
        verify(findText(first, "New messages") !== null)
    }

    // Who said that: a forgery is struck out and says whose it is not; a changed key is loud.
    function test_senderTrust() {
        const plain = createTemporaryObject(delegateComponent, test)
        verify(findText(plain, "unverified") !== null)
        const verified = createTemporaryObject(delegateComponent, test, { senderTrust: 2 })
        compare(findText(verified, "unverified"), null)
        verify(findText(verified, "✓") !== null)
        const forged = createTemporaryObject(delegateComponent, test, { senderTrust: 5 })
        verify(findText(forged, "forged: not from bob") !== null)
        const name = findText(forged, "bob")
        verify(name !== null && name.font.strikeout)
        const changed = createTemporaryObject(delegateComponent, test, { senderTrust: 4 })
        verify(findText(changed, "KEY CHANGED") !== null)
        // Our own messages carry no mark.
        const own = createTemporaryObject(delegateComponent, test, { senderTrust: 0, own: true })
        compare(findText(own, "unverified"), null)
    }

    function test_markupStaysText() {
        const row = createTemporaryObject(delegateComponent, test)
        const text = findText(row, "not bold")
        verify(text !== null)
        // Shown literally: the angle brackets are part of what the user sees.
        verify(text.getText(0, text.length).indexOf("<b>") >= 0)
    }

    function test_externalSender() {
        const row = createTemporaryObject(delegateComponent, test, { external: true, sender: "" })
        verify(findText(row, "external") !== null)
    }

    function test_failedOffersRetry() {
        const row = createTemporaryObject(delegateComponent, test, { own: true, delivery: MessageListModel.Failed })
        verify(findText(row, "Not sent.") !== null)
        retrySpy.target = row
        const button = findText(row, "Retry")
        verify(button !== null)
        mouseClick(button)
        compare(retrySpy.count, 1)
        compare(retrySpy.signalArguments[0][0], "m1")
    }

    function test_pendingIsMarked() {
        const row = createTemporaryObject(delegateComponent, test, { own: true, delivery: MessageListModel.Pending })
        verify(findText(row, "Sending") !== null)
    }

    function test_truncatedIsMarked() {
        const row = createTemporaryObject(delegateComponent, test, { truncated: true })
        verify(findText(row, "message cut") !== null)
    }
}
