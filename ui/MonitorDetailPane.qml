import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// The selected message in full: the one clicked, until another is clicked, even when
// the buffer has moved on. Its header (channel, the subscriptions that delivered it,
// the time), the payload pretty (JSON indented with its keys in the order sent,
// MessagePack decoded to JSON) or raw, and copy buttons. Drag the handle to resize.
Rectangle {
    id: detailPane
    required property MonitorController monitor
    property bool pretty: true
    readonly property string kind: detailPane.monitor.selectedKind
    visible: detailPane.monitor.selectedPosition >= 0
    color: Theme.surface
    border.color: Theme.border

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 6
        spacing: 4
        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: Theme.spacing
            rowSpacing: 0
            Label {
                text: detailPane.kind === "gap" ? qsTr("Gap") : qsTr("Channel")
                color: Theme.mutedText
            }
            Label {
                id: detailTitle
                objectName: "detailTitle"
                Layout.fillWidth: true
                // For a gap, the sentence that says when; for a message, its channel.
                text: detailPane.kind === "gap" ? detailPane.monitor.selectedTitle : detailPane.monitor.selectedChannel
                elide: Text.ElideRight
                textFormat: Text.PlainText
                font.bold: true
                color: Theme.text
            }
            Label { visible: detailPane.kind !== "gap"; text: qsTr("Via"); color: Theme.mutedText }
            Label {
                objectName: "detailVia"
                visible: detailPane.kind !== "gap"
                Layout.fillWidth: true
                text: detailPane.monitor.selectedVia.length > 0 ? detailPane.monitor.selectedVia : qsTr("a subscription since dropped")
                elide: Text.ElideRight
                textFormat: Text.PlainText
                color: Theme.text
            }
            Label { text: qsTr("Time"); color: Theme.mutedText }
            Label {
                objectName: "detailTime"
                Layout.fillWidth: true
                text: detailPane.monitor.selectedTime
                elide: Text.ElideRight
                color: Theme.text
                font.family: "monospace"
            }
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacing
            visible: detailPane.kind !== "gap"
            Label {
                objectName: "detailKind"
                height: prettyButton.height
                verticalAlignment: Text.AlignVCenter
                color: Theme.mutedText
                text: detailPane.kind === "json" ? qsTr("JSON")
                    : detailPane.kind === "msgpack" ? qsTr("MessagePack")
                    : detailPane.kind === "binary" ? qsTr("Binary")
                    : detailPane.kind === "empty" ? qsTr("Empty") : qsTr("Text")
            }
            Row {
                // Only where pretty differs from raw.
                visible: detailPane.kind === "json" || detailPane.kind === "msgpack"
                ButtonGroup { id: detailFormGroup }
                Button {
                    id: prettyButton
                    objectName: "prettyButton"
                    text: qsTr("Pretty")
                    checkable: true
                    checked: detailPane.pretty
                    ButtonGroup.group: detailFormGroup
                    onClicked: detailPane.pretty = true
                }
                Button {
                    objectName: "rawButton"
                    text: qsTr("Raw")
                    checkable: true
                    checked: !detailPane.pretty
                    ButtonGroup.group: detailFormGroup
                    onClicked: detailPane.pretty = false
                }
            }
            Button {
                objectName: "copyPayloadButton"
                text: qsTr("Copy payload")
                onClicked: detailPane.monitor.copySelectedPayload()
            }
            Button {
                objectName: "copyJsonButton"
                text: qsTr("Copy as JSON")
                onClicked: detailPane.monitor.copySelectedAsJson()
            }
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TextArea {
                objectName: "payloadDetail"
                readOnly: true
                selectByMouse: true
                textFormat: TextEdit.PlainText
                font.family: "monospace"
                color: Theme.text
                text: detailPane.pretty ? detailPane.monitor.selectedDetail : detailPane.monitor.selectedRaw
                background: null
            }
        }
    }
}
