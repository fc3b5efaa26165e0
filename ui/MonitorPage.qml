import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The operators' view: subscribe to patterns and channels, watch the live table (following the
// tail or holding still), inspect one message in full, and read per-channel rates, subscriber
// counts and a chart of the busiest channels. Pause, clear, export, record, publish.
Page {
    id: page
    required property MonitorController monitor

    // Channel colours in the shade that reads on this theme's background.
    Binding {
        target: page.monitor
        property: "darkBackground"
        value: Theme.dark
    }
    signal back()

    property bool follow: true
    // The choices of the topic's kind (kindBox), in its order.
    readonly property int topicKindAny: 0
    readonly property int topicKindExact: 1
    readonly property int topicKindShard: 2
    readonly property int topicKindKeys: 3

    background: Rectangle { color: Theme.background }

    header: ToolBar {
        background: Rectangle { color: Theme.surface; Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border } }
        RowLayout {
            id: toolRow
            anchors.fill: parent
            spacing: Theme.spacing
            // Clear, Export and Record move to the overflow menu (⋯) when the row cannot hold them
            // next to a usable topic field: measured from the controls' own widths, so a longer
            // translation moves them sooner. The menu is always there: Replay… lives in it.
            readonly property real inlineWidth: backButton.implicitWidth + statusDot.implicitWidth
                + topicField.Layout.minimumWidth + addButton.implicitWidth + kindBox.implicitWidth
                + pauseButton.implicitWidth + clearButton.implicitWidth
                + exportButton.implicitWidth + recordButton.implicitWidth + overflowButton.implicitWidth
                + 9 * spacing
            readonly property bool compact: width < inlineWidth

            ToolButton { id: backButton; objectName: "backButton"; text: qsTr("‹ Chat"); onClicked: page.back() }
            Rectangle {
                id: statusDot
                implicitWidth: 10; implicitHeight: 10; radius: 5
                color: page.monitor.connected ? Theme.ok : Theme.danger
                ToolTip.visible: connectedHover.hovered
                ToolTip.text: page.monitor.connected ? qsTr("Connected") : qsTr("Not connected")
                HoverHandler { id: connectedHover }
            }
            // What the text beside it names: one choice of four, so one control, before the field:
            // the keyboard reaches it first (Tab, arrows, Tab, type, Enter).
            ComboBox {
                id: kindBox
                objectName: "topicKindBox"
                Accessible.name: qsTr("Kind of subscription")
                implicitContentWidthPolicy: ComboBox.WidestText
                model: [qsTr("Pattern or channel"), qsTr("Exact channel"), qsTr("Sharded channel"), qsTr("Key events")]
                // Not over its own open list.
                ToolTip.visible: hovered && !popup.visible
                ToolTip.text: qsTr("Sharded channel: SSUBSCRIBE (Redis 7), the messages SPUBLISHed to it. Key events: changes to keys matching the pattern (keyspace notifications).")
            }
            TextField {
                id: topicField
                objectName: "topicField"
                Layout.fillWidth: true
                Layout.minimumWidth: 150
                Layout.preferredWidth: 220
                Layout.maximumWidth: 320
                placeholderText: kindBox.currentIndex === page.topicKindKeys
                                 ? qsTr("Key pattern, e.g. user:* (empty: every key)")
                                 : kindBox.currentIndex === page.topicKindAny
                                   ? qsTr("Pattern or channel, e.g. orders.*")
                                   : qsTr("Channel name, e.g. orders")
                onAccepted: addButton.clicked()
            }
            Button {
                id: addButton
                objectName: "subscribeButton"
                text: qsTr("Subscribe")
                enabled: topicField.text.trim().length > 0 || kindBox.currentIndex === page.topicKindKeys
                onClicked: {
                    let added = false
                    switch (kindBox.currentIndex) {
                    case page.topicKindKeys: added = page.monitor.addKeyWatch(topicField.text); break
                    case page.topicKindShard: added = page.monitor.addShardChannel(topicField.text); break
                    default: added = page.monitor.addTopic(topicField.text, kindBox.currentIndex === page.topicKindExact)
                    }
                    if (added)
                        topicField.clear()
                }
            }
            Item { Layout.fillWidth: true }
            Button {
                id: pauseButton
                objectName: "pauseButton"
                text: page.monitor.paused ? qsTr("Resume (%1 held)").arg(page.monitor.heldCount) : qsTr("Pause")
                onClicked: page.monitor.paused = !page.monitor.paused
            }
            Button { id: clearButton; objectName: "clearButton"; visible: !toolRow.compact; action: clearAction }
            Button {
                id: exportButton
                objectName: "exportButton"
                visible: !toolRow.compact
                text: qsTr("Export")
                enabled: !page.monitor.exporting
                onClicked: exportMenu.open()
                Menu {
                    id: exportMenu
                    MenuItem { action: exportJsonAction }
                    MenuItem { action: exportCsvAction }
                }
            }
            Button { id: recordButton; objectName: "recordButton"; visible: !toolRow.compact; action: recordAction }
            ToolButton {
                id: overflowButton
                objectName: "overflowButton"
                text: "⋯"
                Accessible.name: qsTr("More actions")
                // Not over its own open menu.
                ToolTip.visible: hovered && !overflowMenu.visible
                ToolTip.text: qsTr("Clear, export, record, replay")
                onClicked: overflowMenu.open()
                Menu {
                    id: overflowMenu
                    objectName: "overflowMenu"
                    x: overflowButton.width - width
                    y: overflowButton.height
                    // Everything the toolbar may have no room for, and Replay…
                    MenuItem { objectName: "clearMenuItem"; action: clearAction }
                    MenuItem { objectName: "exportJsonMenuItem"; action: exportJsonAction; text: qsTr("Export as JSON Lines…") }
                    MenuItem { objectName: "exportCsvMenuItem"; action: exportCsvAction; text: qsTr("Export as CSV…") }
                    MenuItem { objectName: "recordMenuItem"; action: recordAction }
                    MenuItem { objectName: "replayMenuItem"; action: replayAction }
                }
            }
        }
    }

    // The toolbar's buttons and the overflow menu do the same things.
    Action { id: clearAction; text: qsTr("Clear"); onTriggered: page.monitor.clear() }
    Action {
        id: exportJsonAction
        text: qsTr("JSON Lines…")
        enabled: !page.monitor.exporting
        onTriggered: { exportDialog.format = "jsonl"; exportDialog.open() }
    }
    Action {
        id: exportCsvAction
        text: qsTr("CSV…")
        enabled: !page.monitor.exporting
        onTriggered: { exportDialog.format = "csv"; exportDialog.open() }
    }
    Action {
        id: recordAction
        text: page.monitor.recording ? qsTr("Stop recording") : qsTr("Record…")
        onTriggered: page.monitor.recording ? page.monitor.stopRecording() : recordDialog.open()
    }

    Action {
        id: replayAction
        text: page.monitor.replaying ? qsTr("Stop replay") : qsTr("Replay…")
        enabled: page.monitor.replaying || page.monitor.connected
        onTriggered: page.monitor.replaying ? page.monitor.stopReplay() : replayDialog.open()
    }

    footer: Rectangle {
        implicitHeight: footerRow.implicitHeight + 8
        color: Theme.sidebar
        RowLayout {
            id: footerRow
            anchors.fill: parent
            anchors.margins: 4
            anchors.leftMargin: Theme.spacing
            spacing: Theme.spacing * 2
            // In a small window the labels shrink (elided) rather than run off its edge: a layout
            // shrinks its items towards their minimum width (0) when their preferred widths do not fit.
            Label {
                objectName: "rateLabel"
                elide: Text.ElideRight
                text: qsTr("%1 msg/s · %2 KiB/s").arg(page.monitor.statistics.messagesPerSecond.toFixed(1))
                                                    .arg((page.monitor.statistics.bytesPerSecond / 1024).toFixed(1))
                color: Theme.text
            }
            Label {
                objectName: "shownLabel"
                elide: Text.ElideRight
                // The filter is a view: what it hides is still in the buffer.
                text: page.monitor.messages.filtered
                      ? qsTr("%1 of %2 shown").arg(page.monitor.messages.count).arg(page.monitor.messages.totalCount)
                      : qsTr("%1 in buffer").arg(page.monitor.messages.totalCount)
                color: Theme.mutedText
            }
            Label {
                objectName: "droppedLabel"
                elide: Text.ElideRight
                // After a break in the subscription, "0 dropped" would be a false all-clear.
                text: page.monitor.gapCount > 0
                      ? qsTr("%1 dropped, more possibly missed in %n gap(s)", "", page.monitor.gapCount).arg(page.monitor.droppedCount)
                      : qsTr("%1 dropped").arg(page.monitor.droppedCount)
                color: page.monitor.droppedCount > 0 || page.monitor.gapCount > 0 ? Theme.warning : Theme.mutedText
            }
            Label {
                objectName: "interruptedLabel"
                visible: page.monitor.subscriptionInterrupted
                elide: Text.ElideRight
                text: qsTr("Not subscribed: messages are being missed")
                color: Theme.danger
            }
            Label {
                objectName: "serverLabel"
                elide: Text.ElideRight
                readonly property string channels: qsTr("%n channel(s)", "", page.monitor.statistics.serverChannelCount)
                readonly property string patterns: page.monitor.statistics.serverPatternCount < 0
                    ? qsTr("? patterns")
                    : qsTr("%n pattern(s)", "", page.monitor.statistics.serverPatternCount)
                text: page.monitor.statistics.serverInternalChannelCount > 0
                      ? qsTr("server: %1 (+%3 Redwire internal), %2").arg(channels).arg(patterns)
                            .arg(page.monitor.statistics.serverInternalChannelCount)
                      : qsTr("server: %1, %2").arg(channels).arg(patterns)
                color: Theme.mutedText
            }
            ProgressBar {
                visible: page.monitor.exporting
                from: 0; to: 100; value: page.monitor.exportPercent
                Layout.preferredWidth: 120
            }
            // A replay's progress through its file, and the way to stop it.
            ProgressBar {
                objectName: "replayProgress"
                visible: page.monitor.replaying
                from: 0; to: 100; value: page.monitor.replayPercent
                Layout.preferredWidth: 80
                ToolTip.visible: replayHover.hovered
                ToolTip.text: qsTr("Replay: %1 published").arg(page.monitor.replayPublished)
                HoverHandler { id: replayHover }
            }
            Button {
                objectName: "stopReplayButton"
                visible: page.monitor.replaying
                text: qsTr("Stop replay")
                onClicked: page.monitor.stopReplay()
            }
            // Through Sentinel: the newest event the sentinels published; all recent ones on hover.
            Label {
                objectName: "sentinelLabel"
                visible: page.monitor.sentinelEvents.length > 0
                Layout.maximumWidth: 420
                elide: Text.ElideRight
                textFormat: Text.PlainText
                text: visible ? qsTr("Sentinel: %1").arg(page.monitor.sentinelEvents[page.monitor.sentinelEvents.length - 1]) : ""
                color: Theme.warning
                ToolTip.visible: sentinelHover.hovered
                ToolTip.text: page.monitor.sentinelEvents.join("\n")
                HoverHandler { id: sentinelHover }
            }
            Label {
                Layout.fillWidth: true
                text: page.monitor.statusMessage
                textFormat: Text.PlainText
                elide: Text.ElideRight
                color: Theme.mutedText
            }
        }
    }

    SplitView {
        anchors.fill: parent

        ColumnLayout {
            id: tablePane
            objectName: "tablePane"
            SplitView.fillWidth: true
            SplitView.minimumWidth: 420
            spacing: 0
            // Column widths, shared by the headers and the rows; narrower in a small window, where
            // the payload column keeps what is left.
            readonly property bool narrow: width < 640
            readonly property int timeWidth: 96
            readonly property int channelWidth: narrow ? 110 : (keyColumns ? 130 : 170)
            readonly property int viaWidth: narrow ? 56 : 90
            readonly property int sizeWidth: narrow ? 44 : 60
            // With a keyspace watch: the notification's database, key and event.
            readonly property bool keyColumns: page.monitor.keyspaceWatched
            readonly property int dbWidth: 26
            readonly property int keyWidth: narrow ? 70 : 130
            readonly property int eventWidth: narrow ? 44 : 60

            // Before Redis drops us as a slow subscriber.
            Rectangle {
                visible: page.monitor.slowSubscriberLevel === SlowSubscriberWatch.Warning
                         || page.monitor.slowSubscriberLevel === SlowSubscriberWatch.Critical
                Layout.fillWidth: true
                implicitHeight: slowLabel.implicitHeight + 12
                color: page.monitor.slowSubscriberLevel === SlowSubscriberWatch.Critical ? Theme.danger : Theme.warning
                Label {
                    id: slowLabel
                    anchors.fill: parent
                    anchors.margins: 6
                    text: page.monitor.slowSubscriberMessage
                    textFormat: Text.PlainText
                    color: "white"
                    wrapMode: Text.Wrap
                }
            }

            // Key events only come when the server publishes them (notify-keyspace-events).
            Rectangle {
                objectName: "keyspaceBanner"
                visible: page.monitor.keyspaceWatched && page.monitor.keyspaceNotifications !== KeyspaceNotificationConfig.On
                         && page.monitor.keyspaceMessage.length > 0
                Layout.fillWidth: true
                implicitHeight: keyspaceRow.implicitHeight + 12
                color: Theme.warning
                RowLayout {
                    id: keyspaceRow
                    anchors.fill: parent
                    anchors.margins: 6
                    spacing: Theme.spacing
                    Label {
                        objectName: "keyspaceMessage"
                        Layout.fillWidth: true
                        text: page.monitor.keyspaceMessage
                        textFormat: Text.PlainText
                        color: "white"
                        wrapMode: Text.Wrap
                    }
                    Button {
                        objectName: "enableKeyspaceButton"
                        visible: page.monitor.keyspaceNotifications === KeyspaceNotificationConfig.Off
                        enabled: !page.monitor.keyspaceEnabling
                        text: qsTr("Enable")
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Turn keyspace notifications on (CONFIG SET notify-keyspace-events)")
                        onClicked: page.monitor.enableKeyspaceNotifications()
                    }
                }
            }

            // The filters and the view's switches: one row when two filter fields of a usable width
            // fit beside the switches, else two (each filter with its regex box, a switch after).
            GridLayout {
                id: filterBar
                objectName: "filterBar"
                readonly property int fieldWidth: 200
                readonly property bool oneRow: tablePane.width - 2 * Theme.spacing >= 2 * fieldWidth
                    + channelRegex.implicitWidth + payloadRegex.implicitWidth + internalSwitch.implicitWidth
                    + followSwitch.implicitWidth + 5 * columnSpacing
                Layout.fillWidth: true
                Layout.margins: Theme.spacing
                columns: oneRow ? 6 : 3
                columnSpacing: Theme.spacing
                rowSpacing: 4
                TextField {
                    id: channelFilter
                    objectName: "channelFilter"
                    Layout.row: 0
                    Layout.column: 0
                    Layout.fillWidth: true
                    Layout.minimumWidth: 120
                    placeholderText: qsTr("Filter channels (glob)")
                    onTextChanged: filterError.text = page.monitor.setFilter(text, channelRegex.checked, payloadFilter.text, payloadRegex.checked)
                }
                CheckBox {
                    id: channelRegex
                    objectName: "channelRegex"
                    Layout.row: 0
                    Layout.column: 1
                    text: qsTr("regex")
                    onToggled: channelFilter.textChanged()
                }
                TextField {
                    id: payloadFilter
                    objectName: "payloadFilter"
                    Layout.row: filterBar.oneRow ? 0 : 1
                    Layout.column: filterBar.oneRow ? 2 : 0
                    Layout.fillWidth: true
                    Layout.minimumWidth: 120
                    placeholderText: qsTr("Filter payloads (text)")
                    onTextChanged: filterError.text = page.monitor.setFilter(channelFilter.text, channelRegex.checked, text, payloadRegex.checked)
                }
                CheckBox {
                    id: payloadRegex
                    objectName: "payloadRegex"
                    Layout.row: filterBar.oneRow ? 0 : 1
                    Layout.column: filterBar.oneRow ? 3 : 1
                    text: qsTr("regex")
                    onToggled: payloadFilter.textChanged()
                }
                CheckBox {
                    id: internalSwitch
                    objectName: "internalSwitch"
                    Layout.row: 0
                    Layout.column: filterBar.oneRow ? 4 : 2
                    text: qsTr("Internal")
                    checked: page.monitor.internalChannelsShown
                    onToggled: page.monitor.internalChannelsShown = checked
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Show Redwire's own channels (__redwire:…, redwire:…), such as other clients' heartbeats")
                }
                Switch {
                    id: followSwitch
                    objectName: "followSwitch"
                    Layout.row: filterBar.oneRow ? 0 : 1
                    Layout.column: filterBar.oneRow ? 5 : 2
                    text: qsTr("Follow")
                    checked: page.follow
                    onToggled: page.follow = checked
                }
            }
            Label {
                id: filterError
                visible: text.length > 0
                Layout.leftMargin: Theme.spacing
                color: Theme.danger
                textFormat: Text.PlainText
            }

            // Column headers
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 24
                color: Theme.raised
                clip: true
                RowLayout {
                    objectName: "columnHeaders"
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacing
                    spacing: Theme.spacing
                    Label { text: qsTr("Time"); Layout.preferredWidth: tablePane.timeWidth; elide: Text.ElideRight; font.bold: true; color: Theme.text }
                    Label { text: qsTr("Channel"); Layout.preferredWidth: tablePane.channelWidth; elide: Text.ElideRight; font.bold: true; color: Theme.text }
                    Label { visible: tablePane.keyColumns; text: qsTr("DB"); Layout.preferredWidth: tablePane.dbWidth; elide: Text.ElideRight; font.bold: true; color: Theme.text }
                    Label { visible: tablePane.keyColumns; text: qsTr("Key"); Layout.preferredWidth: tablePane.keyWidth; elide: Text.ElideRight; font.bold: true; color: Theme.text }
                    Label { visible: tablePane.keyColumns; text: qsTr("Event"); Layout.preferredWidth: tablePane.eventWidth; elide: Text.ElideRight; font.bold: true; color: Theme.text }
                    Label { text: qsTr("Via"); Layout.preferredWidth: tablePane.viaWidth; elide: Text.ElideRight; font.bold: true; color: Theme.text }
                    Label { text: qsTr("Size"); Layout.preferredWidth: tablePane.sizeWidth; elide: Text.ElideRight; font.bold: true; color: Theme.text; horizontalAlignment: Text.AlignRight }
                    Label { text: qsTr("Payload"); Layout.fillWidth: true; Layout.minimumWidth: 40; elide: Text.ElideRight; font.bold: true; color: Theme.text }
                }
            }

            // The table above the selected message; the handle between them resizes both.
            SplitView {
                id: tableSplit
                objectName: "tableSplit"
                orientation: Qt.Vertical
                Layout.fillWidth: true
                Layout.fillHeight: true

                ListView {
                    id: table
                    objectName: "messageTable"
                    SplitView.fillHeight: true
                    SplitView.minimumHeight: 80
                    clip: true
                    model: page.monitor.messages
                    boundsBehavior: Flickable.StopAtBounds
                    reuseItems: true
                    ScrollBar.vertical: ScrollBar {}
                    // No current item: the selection is the controller's (by buffer position). A current
                    // item would bring ListView's default highlight, an invisible item that glides
                    // towards row 0 at highlightMoveVelocity; once the buffer wraps, row 0 jumps further
                    // down with every batch and the glide repaints the window every frame for minutes.
                    currentIndex: -1
                    highlightFollowsCurrentItem: false
                    onMovementStarted: page.follow = false
                    // Follow on rows added, not on count: a full buffer drops as many rows as arrive,
                    // and the count stays the same.
                    Connections {
                        target: page.monitor.messages
                        function onRowsInserted() {
                            if (page.follow)
                                Qt.callLater(table.positionViewAtEnd)
                        }
                    }
                    delegate: Rectangle {
                        id: row
                        required property int index
                        required property string time
                        required property string channel
                        required property string subscriptions
                        required property double position
                        required property int size
                        required property string preview
                        required property bool binary
                        required property string channelColor
                        // A break in the subscription rather than a message: shown whatever the filter.
                        required property bool gap
                        required property string gapSince
                        required property int keyspaceDb
                        required property string keyspaceKey
                        required property string keyspaceEvent
                        width: ListView.view.width
                        height: 22
                        color: page.monitor.selectedPosition === row.position ? Theme.selection
                             : row.gap ? Qt.rgba(Theme.warning.r, Theme.warning.g, Theme.warning.b, 0.25)
                             : (index % 2 ? Theme.surface : Theme.background)
                        TapHandler { onTapped: page.monitor.selectRow(row.index) }
                        Rectangle {
                            visible: row.gap
                            width: 4
                            height: parent.height
                            color: Theme.warning
                        }
                        Label {
                            objectName: "gapLabel"
                            visible: row.gap
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacing
                            verticalAlignment: Text.AlignVCenter
                            elide: Text.ElideRight
                            textFormat: Text.PlainText
                            font.bold: true
                            color: Theme.text
                            text: qsTr("⚠ Gap %1 – %2: messages published in between may be missing (%3)")
                                    .arg(row.gapSince).arg(row.time).arg(row.preview)
                        }
                        RowLayout {
                            visible: !row.gap
                            anchors.fill: parent
                            anchors.leftMargin: Theme.spacing
                            spacing: Theme.spacing
                            Label { text: row.time; Layout.preferredWidth: tablePane.timeWidth; color: Theme.mutedText; font.family: "monospace" }
                            Label { text: row.channel; Layout.preferredWidth: tablePane.channelWidth; color: row.channelColor; elide: Text.ElideRight; textFormat: Text.PlainText; font.bold: true }
                            Label { objectName: "dbCell"; visible: tablePane.keyColumns; text: row.keyspaceDb < 0 ? "" : row.keyspaceDb; Layout.preferredWidth: tablePane.dbWidth; color: Theme.mutedText }
                            Label { objectName: "keyCell"; visible: tablePane.keyColumns; text: row.keyspaceKey; Layout.preferredWidth: tablePane.keyWidth; color: Theme.text; elide: Text.ElideRight; textFormat: Text.PlainText; font.family: "monospace" }
                            Label { objectName: "eventCell"; visible: tablePane.keyColumns; text: row.keyspaceEvent; Layout.preferredWidth: tablePane.eventWidth; color: Theme.text; elide: Text.ElideRight; textFormat: Text.PlainText }
                            // Every subscription of ours that delivered it (one row per published message).
                            Label { objectName: "viaCell"; text: row.subscriptions; Layout.preferredWidth: tablePane.viaWidth; color: Theme.mutedText; elide: Text.ElideRight; textFormat: Text.PlainText }
                            Label { text: row.size; Layout.preferredWidth: tablePane.sizeWidth; color: Theme.mutedText; horizontalAlignment: Text.AlignRight }
                            Label {
                                text: row.preview
                                Layout.fillWidth: true
                                Layout.minimumWidth: 40
                                elide: Text.ElideRight
                                textFormat: Text.PlainText
                                color: row.binary ? Theme.warning : Theme.text
                                font.family: "monospace"
                            }
                        }
                    }
                }

                // The selected message in full (MonitorDetailPane): the one clicked, until another is
                // clicked. Drag the handle to resize.
                MonitorDetailPane {
                    objectName: "detailPane"
                    monitor: page.monitor
                    SplitView.preferredHeight: 220
                    SplitView.minimumHeight: 120
                }
            }
        }

        MonitorSidePanel {
            objectName: "sidePanel"
            monitor: page.monitor
            windowHeight: page.height
            // A third of a small window, 360 px in a large one: the table keeps the rest.
            SplitView.preferredWidth: Math.round(Math.max(260, Math.min(360, page.width / 3)))
            SplitView.minimumWidth: 240
        }
    }

    FileNameDialog {
        id: exportDialog
        objectName: "exportDialog"
        property string format: "jsonl"
        title: qsTr("Export the buffer")
        suggestedName: "redwire-export." + format
        nameFilters: format === "csv" ? [qsTr("CSV (*.csv)")] : [qsTr("JSON Lines (*.jsonl)")]
        onChosen: (path) => page.monitor.exportTo(path, format)
    }
    FileNameDialog {
        id: recordDialog
        objectName: "recordDialog"
        title: qsTr("Record to a file (JSON Lines)")
        nameFilters: [qsTr("JSON Lines (*.jsonl)")]
        suggestedName: "redwire-recording.jsonl"
        onChosen: (path) => page.monitor.startRecording(path, "jsonl")
    }
    FileNameDialog {
        id: replayDialog
        objectName: "replayDialog"
        title: qsTr("Replay a recording (JSON Lines)")
        opensFile: true
        nameFilters: [qsTr("JSON Lines (*.jsonl)")]
        suggestedName: "redwire-recording.jsonl"
        extraContent: RowLayout {
            Label { text: qsTr("Speed") }
            ComboBox {
                id: replaySpeed
                objectName: "replaySpeed"
                textRole: "text"
                valueRole: "value"
                model: [
                    { text: qsTr("As recorded"), value: 1 },
                    { text: qsTr("2× as fast"), value: 2 },
                    { text: qsTr("10× as fast"), value: 10 },
                    { text: qsTr("As fast as possible"), value: 0 }
                ]
            }
        }
        onChosen: (path) => page.monitor.startReplay(path, replaySpeed.currentValue)
    }
}
