import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// One message. Messages from the same sender in a row share one header; a day separator starts
// each day. What a remote party wrote is shown as text only (the model escapes it; links are the
// only markup, and only http and https open).
Item {
    id: root

    required property string messageId
    required property string sender
    required property string html
    required property string previewHtml
    required property bool longText
    required property bool senderSuspicious
    required property bool expanded
    required property int index
    required property string plainText
    required property date timestamp
    required property int kind // MessageListModel.EntryKind
    required property bool own
    required property bool external
    required property bool mention
    required property int delivery // MessageListModel.DeliveryState
    required property bool truncated
    required property bool showHeader
    required property bool showDay
    required property string dayLabel
    required property string streamId
    required property bool firstUnread // the "new messages" divider goes above
    required property bool highlighted // a search result the user jumped to

    signal retry(string messageId)
    signal copyText(string text)
    signal setExpanded(int row, bool expanded)

    // A long message shows its start until the user asks for the rest (laying out 60 KB of text
    // is slow, and a wall of text buries the conversation). The model keeps the choice.
    readonly property bool collapsed: root.longText && !root.expanded

    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0

        RowLayout {
            visible: root.showDay
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }
            Label { text: root.dayLabel; color: Theme.mutedText; font.pixelSize: Theme.smallFontSize }
            Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }
        }

        // Where the unread messages begin
        RowLayout {
            objectName: "unreadDivider"
            visible: root.firstUnread
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing / 2
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            Rectangle { Layout.fillWidth: true; height: 1; color: Theme.danger }
            Label { text: qsTr("New messages"); color: Theme.danger; font.pixelSize: Theme.smallFontSize; font.bold: true }
            Rectangle { Layout.fillWidth: true; height: 1; color: Theme.danger }
        }

        // join / leave notices
        Label {
            visible: root.kind === MessageListModel.Join || root.kind === MessageListModel.Leave
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            topPadding: 2
            bottomPadding: 2
            color: Theme.mutedText
            font.italic: true
            font.pixelSize: Theme.smallFontSize
            textFormat: Text.PlainText
            text: root.kind === MessageListModel.Join ? qsTr("%1 joined").arg(root.sender) : qsTr("%1 left").arg(root.sender)
        }

        // History lost before it could be read (the stream's length cap trimmed it)
        Label {
            objectName: "historyGap"
            visible: root.kind === MessageListModel.Gap
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing * 2
            Layout.rightMargin: Theme.spacing * 2
            topPadding: Theme.spacing / 2
            bottomPadding: Theme.spacing / 2
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.warning
            font.pixelSize: Theme.smallFontSize
            text: qsTr("Some messages are no longer available: the room's history was trimmed while you were away.")
        }

        Rectangle {
            visible: root.kind === MessageListModel.Message
            Layout.fillWidth: true
            implicitHeight: body.implicitHeight + 6
            color: root.highlighted ? Theme.selection : (root.mention ? Theme.mention : "transparent")

            ColumnLayout {
                id: body
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.leftMargin: Theme.spacing * 2
                anchors.rightMargin: Theme.spacing * 2
                anchors.topMargin: 3
                spacing: 1

                RowLayout {
                    visible: root.showHeader
                    Layout.topMargin: Theme.spacing / 2
                    spacing: Theme.spacing
                    Label {
                        objectName: "suspiciousSender"
                        visible: root.senderSuspicious
                        text: "⚠"
                        color: Theme.warning
                        Accessible.name: qsTr("Suspicious name")
                        ToolTip.visible: suspiciousHover.hovered
                        ToolTip.text: qsTr("This name has hidden or look-alike characters; it is not the member it may look like.")
                        HoverHandler { id: suspiciousHover }
                    }
                    Label {
                        text: root.external ? qsTr("external") : root.sender
                        textFormat: Text.PlainText
                        font.bold: true
                        font.italic: root.external
                        color: root.external ? Theme.mutedText : Theme.colorFor(root.sender)
                    }
                    Label {
                        text: Qt.formatTime(root.timestamp, "hh:mm")
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                        ToolTip.visible: timeHover.hovered
                        ToolTip.text: Qt.formatDateTime(root.timestamp, Qt.DefaultLocaleLongDate)
                        HoverHandler { id: timeHover }
                    }
                }

                TextEdit {
                    id: textItem
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.Wrap
                    textFormat: TextEdit.RichText
                    // The model's html has no markup but its own <a href> tags: colour them here
                    // (only when there is one: a regular expression per delegate feeds the GC).
                    readonly property string shownHtml: root.collapsed ? root.previewHtml : root.html
                    text: shownHtml.indexOf("<a href=") < 0
                          ? shownHtml
                          : shownHtml.replace(/<a href=/g, '<a style="color:' + Theme.link + '" href=')
                    color: Theme.text
                    opacity: root.delivery === MessageListModel.Pending ? 0.6 : 1.0
                    font.pixelSize: Theme.fontSize
                    onLinkActivated: (link) => {
                        if (link.startsWith("https://") || link.startsWith("http://"))
                            Qt.openUrlExternally(link)
                    }
                    HoverHandler { cursorShape: textItem.hoveredLink.length > 0 ? Qt.PointingHandCursor : Qt.IBeamCursor }
                }

                RowLayout {
                    visible: root.longText
                    spacing: Theme.spacing
                    Button {
                        objectName: "showMore"
                        flat: true
                        text: root.collapsed ? qsTr("Show more") : qsTr("Show less")
                        Accessible.name: text
                        onClicked: root.setExpanded(root.index, !root.expanded)
                    }
                    Button {
                        objectName: "copyMessage"
                        flat: true
                        text: qsTr("Copy text")
                        onClicked: root.copyText(root.plainText)
                    }
                }

                Label {
                    visible: root.truncated
                    text: qsTr("[message cut: it was longer than the size limit]")
                    color: Theme.warning
                    font.pixelSize: Theme.smallFontSize
                }

                RowLayout {
                    visible: root.delivery === MessageListModel.Pending || root.delivery === MessageListModel.Failed
                    spacing: Theme.spacing
                    Label {
                        text: root.delivery === MessageListModel.Pending ? qsTr("Sending…") : qsTr("Not sent.")
                        color: root.delivery === MessageListModel.Failed ? Theme.danger : Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                    }
                    Button {
                        visible: root.delivery === MessageListModel.Failed
                        text: qsTr("Retry")
                        flat: true
                        onClicked: root.retry(root.messageId)
                    }
                }
            }
        }
    }
}
