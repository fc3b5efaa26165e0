import QtQuick
import QtTest
import Redwire.Models
import Redwire.Ui

// The connection banner: hidden (a thin bar) when connected, the error with a countdown and a
// retry button while reconnecting; it names the server and offers to change it while there is
// no connection.
TestCase {
    id: test
    name: "ConnectionBanner"
    width: 600
    height: 100
    when: windowShown
    visible: true

    Component {
        id: bannerComponent
        ConnectionBanner {
            width: 600
            connectionState: RedisClient.Connected
            errorText: ""
            retryInMs: -1
            endpoint: "127.0.0.1:6379"
        }
    }

    SignalSpy { id: retrySpy; signalName: "retryNow" }
    SignalSpy { id: changeSpy; signalName: "changeServer" }

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

    function test_connectedIsQuiet() {
        const banner = createTemporaryObject(bannerComponent, test)
        verify(banner.healthy)
        tryCompare(banner, "implicitHeight", 4)
        compare(findText(banner, "Retry"), null)
    }

    function test_reconnectingShowsErrorAndCountdown() {
        const banner = createTemporaryObject(bannerComponent, test, {
            connectionState: RedisClient.Reconnecting, errorText: "The server closed the connection.", retryInMs: 4000 })
        verify(!banner.healthy)
        compare(banner.secondsLeft, 4)
        verify(findText(banner, "The server closed the connection.") !== null)
        verify(findText(banner, "4 s") !== null)
        tryVerify(() => banner.secondsLeft === 3, 2500)
        retrySpy.target = banner
        const button = findText(banner, "Retry now")
        verify(button !== null)
        mouseClick(button)
        compare(retrySpy.count, 1)
    }

    function test_errorWithoutAFullStopIsASentence() {
        const banner = createTemporaryObject(bannerComponent, test, {
            connectionState: RedisClient.Reconnecting, errorText: "Connection refused", retryInMs: 2000 })
        verify(findText(banner, "Connection refused. Reconnecting in 2 s.") !== null)
    }

    // The countdown ends before the attempt's outcome is known: no "Reconnecting in 0 s."
    function test_countdownAtZeroSaysReconnecting() {
        const banner = createTemporaryObject(bannerComponent, test, {
            connectionState: RedisClient.Reconnecting, errorText: "Connection refused", retryInMs: 1000 })
        verify(findText(banner, "Reconnecting in 1 s.") !== null)
        tryVerify(() => banner.secondsLeft === 0, 3000)
        verify(findText(banner, "127.0.0.1:6379: Connection refused. Reconnecting…") !== null)
        compare(findText(banner, "in 0 s"), null)
    }

    function test_reconnectingNamesTheServerAndOffersAnother() {
        const banner = createTemporaryObject(bannerComponent, test, {
            connectionState: RedisClient.Reconnecting, errorText: "Connection refused", retryInMs: 3000 })
        verify(findText(banner, "127.0.0.1:6379: Connection refused. Reconnecting in 3 s.") !== null)
        changeSpy.target = banner
        const button = findText(banner, "Change server")
        verify(button !== null)
        mouseClick(button)
        compare(changeSpy.count, 1)
    }

    function test_disconnectedNamesTheServer() {
        const banner = createTemporaryObject(bannerComponent, test, {
            connectionState: RedisClient.Disconnected, errorText: "Authentication failed" })
        verify(findText(banner, "127.0.0.1:6379: Authentication failed.") !== null)
        verify(findText(banner, "Change server") !== null)
    }

    // A server that stops answering keeps its connection: waiting is right, no way out offered.
    function test_notRespondingWaits() {
        const banner = createTemporaryObject(bannerComponent, test, { connectionState: RedisClient.NotResponding })
        verify(findText(banner, "127.0.0.1:6379 is not responding.") !== null)
        compare(findText(banner, "Change server"), null)
        compare(findText(banner, "Retry now"), null)
    }

    function test_connectingNamesTheServer() {
        const banner = createTemporaryObject(bannerComponent, test, { connectionState: RedisClient.Connecting })
        verify(findText(banner, "Connecting to 127.0.0.1:6379") !== null)
        verify(findText(banner, "Change server") !== null)
    }
}
