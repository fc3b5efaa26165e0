pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The monitor's side panel: the subscriptions (one chip each, removable), the chart of the
// busiest channels and its legend, every channel's rates and subscribers, and publishing a test
// message.
ColumnLayout {
    id: sidePanel
    required property MonitorController monitor
    // The window's height: in a short one the chart is lower and has no legend.
    property real windowHeight: 800
    spacing: Theme.spacing

    Label { text: qsTr("Subscriptions"); font.bold: true; color: Theme.text; Layout.margins: Theme.spacing }
    Flow {
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacing
        spacing: 4
        Repeater {
            objectName: "topicChips"
            model: sidePanel.monitor.topics
            delegate: Rectangle {
                id: topicChip
                required property int index
                required property string label
                radius: 10
                color: Theme.raised
                implicitWidth: chip.implicitWidth + 28
                implicitHeight: 22
                Label {
                    id: chip
                    objectName: "topicLabel"
                    anchors.verticalCenter: parent.verticalCenter
                    x: 8
                    text: topicChip.label
                    textFormat: Text.PlainText
                    color: Theme.text
                }
                Label {
                    anchors.right: parent.right
                    anchors.rightMargin: 6
                    anchors.verticalCenter: parent.verticalCenter
                    objectName: "removeTopicButton"
                    text: "×"
                    color: Theme.mutedText
                    TapHandler { onTapped: sidePanel.monitor.removeTopic(topicChip.index) }
                }
            }
        }
    }

    Label {
        text: qsTr("Busiest channels (msg/s, last minute)")
        font.bold: true
        color: Theme.text
        wrapMode: Text.Wrap
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacing
        Layout.rightMargin: Theme.spacing
    }
    RateChart {
        objectName: "rateChart"
        Layout.fillWidth: true
        // Shorter in a short window, where the channel list needs the room.
        Layout.preferredHeight: sidePanel.windowHeight < 700 ? 110 : 140
        Layout.leftMargin: Theme.spacing
        Layout.rightMargin: Theme.spacing
        series: sidePanel.monitor.rateHistory
        ceiling: sidePanel.monitor.rateCeiling
        samples: sidePanel.monitor.rateHistorySamples
    }
    // Which line is which, and how high each went; in a short window the channel list
    // below (the same colours) keeps the room.
    Flow {
        objectName: "rateLegend"
        visible: sidePanel.monitor.rateHistory.length > 0 && sidePanel.windowHeight >= 700
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacing
        Layout.rightMargin: Theme.spacing
        spacing: Theme.spacing
        Repeater {
            model: sidePanel.monitor.rateHistory
            delegate: Row {
                id: legendEntry
                required property var modelData
                spacing: 4
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 8; height: 8; radius: 4
                    color: legendEntry.modelData.color
                }
                Label {
                    width: Math.min(implicitWidth, sidePanel.width - 3 * Theme.spacing - 12)
                    text: qsTr("%1 (peak %2/s)").arg(legendEntry.modelData.channel)
                            .arg(Number(legendEntry.modelData.peak).toLocaleString(Qt.locale(), "f", legendEntry.modelData.peak >= 10 ? 0 : 1))
                    textFormat: Text.PlainText
                    elide: Text.ElideMiddle
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }
    }

    Label { text: qsTr("Channels"); font.bold: true; color: Theme.text; Layout.leftMargin: Theme.spacing }
    ListView {
        objectName: "statisticsList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: sidePanel.monitor.statistics
        delegate: Item {
            id: stat
            required property string channel
            required property var messageRate1s
            required property var messageRate10s
            required property var messageRate60s
            required property var messages
            required property var subscribers
            required property var shardSubscribers
            required property string channelColor
            // A shard channel we follow: its SHARDNUMSUB count, and the classic one only when
            // someone also subscribes by name (the line has room for one figure at most widths).
            readonly property string subscriberText: {
                const classic = subscribers < 0 ? qsTr("? subscribers (by name)")
                                                : qsTr("%n subscriber(s) (by name)", "", subscribers)
                if (shardSubscribers < 0)
                    return classic
                const sharded = qsTr("%n sharded subscriber(s)", "", shardSubscribers)
                return subscribers > 0 ? qsTr("%1 · %2").arg(sharded).arg(classic) : sharded
            }
            width: ListView.view.width
            height: 40
            Rectangle { x: 8; y: 8; width: 8; height: 8; radius: 4; color: stat.channelColor }
            Label {
                x: 22; y: 2
                width: parent.width - 30
                text: stat.channel
                textFormat: Text.PlainText
                elide: Text.ElideRight
                color: Theme.text
                font.bold: true
            }
            Label {
                objectName: "channelFigures"
                x: 22; y: 20
                width: parent.width - 30
                elide: Text.ElideRight
                color: Theme.mutedText
                font.pixelSize: Theme.smallFontSize
                text: qsTr("%1 / %2 / %3 msg/s · %4 total · %5")
                        .arg(Number(stat.messageRate1s).toFixed(1)).arg(Number(stat.messageRate10s).toFixed(1))
                        .arg(Number(stat.messageRate60s).toFixed(1)).arg(stat.messages)
                        .arg(stat.subscriberText)
            }
        }
    }

    Label { text: qsTr("Publish a test message"); font.bold: true; color: Theme.text; Layout.leftMargin: Theme.spacing }
    // One row when wide enough, else the payload gets a row of its own.
    GridLayout {
        id: publishBar
        readonly property bool oneRow: width >= publishButton.implicitWidth + 100 + 120 + 2 * columnSpacing
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacing
        Layout.rightMargin: Theme.spacing
        Layout.bottomMargin: Theme.spacing
        columns: oneRow ? 3 : 2
        columnSpacing: Theme.spacing
        rowSpacing: 4
        TextField {
            id: publishChannel
            objectName: "publishChannel"
            placeholderText: qsTr("channel")
            Layout.row: 0
            Layout.column: 0
            Layout.preferredWidth: 100
            Layout.fillWidth: !publishBar.oneRow
        }
        TextField {
            id: publishPayload
            objectName: "publishPayload"
            placeholderText: qsTr("payload")
            Layout.row: publishBar.oneRow ? 0 : 1
            Layout.column: publishBar.oneRow ? 1 : 0
            Layout.columnSpan: publishBar.oneRow ? 1 : 2
            Layout.fillWidth: true
            onAccepted: publishButton.clicked()
        }
        Button {
            id: publishButton
            objectName: "publishButton"
            Layout.row: 0
            Layout.column: publishBar.oneRow ? 2 : 1
            text: qsTr("Publish")
            enabled: publishChannel.text.trim().length > 0
            onClicked: sidePanel.monitor.publish(publishChannel.text, publishPayload.text)
        }
    }
}
