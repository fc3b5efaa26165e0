import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// One message. Messages from the same sender in a row share one header; a day separator starts
// each day. What a remote party wrote is shown as text only (the model escapes it; links are the
// only markup, and only http and https open). A reply shows the start of the message it answers
// (a click goes there); edits are marked, deleted messages say so; reactions are chips under the
// text (a click gives or takes back ours). Hovering shows the actions; the view owns the menus.
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
    required property string replyTo
    required property string quoteSender
    required property string quoteText
    required property bool edited
    required property bool deleted
    required property var reactions // [{ reaction, count, mine }]
    required property bool canChange
    required property bool canReact
    required property string streamId
    required property bool firstUnread // the "new messages" divider goes above
    // SenderTrust: 0 unsigned, 1 pending, 2 verified, 3 new key, 4 key changed, 5 forged
    // (docs/PROTOCOL.md, "Signed envelopes").
    required property int senderTrust
    readonly property bool forged: senderTrust === 5
    required property bool highlighted // a search result the user jumped to

    // Briefly set when the view jumps here from a reply's quote.
    property bool quoteJumpHighlighted: false

    signal retry(string messageId)
    signal copyText(string text)
    signal setExpanded(int row, bool expanded)
    signal reply(string messageId, string sender, string text)
    signal react(string messageId, string reaction)
    signal jumpTo(string messageId)
    // The sender's name was clicked: their profile (safety numbers).
    signal profileRequested(string nickname)
    // The view opens its menus next to `anchor` for this delegate.
    signal actionsRequested(Item anchor)
    signal reactionsRequested(Item anchor)

    // A long message shows its start until the user asks for the rest (laying out 60 KB of text
    // is slow, and a wall of text buries the conversation). The model keeps the choice.
    readonly property bool collapsed: root.longText && !root.expanded

    implicitHeight: column.implicitHeight

    // A screen reader reads a message as "alice at 10:32: hello".
    objectName: "messageDelegate"
    Accessible.role: Accessible.ListItem
    Accessible.name: {
        const time = Qt.formatTime(root.timestamp, "hh:mm")
        switch (root.kind) {
        case MessageListModel.Join:
            return qsTr("%1 joined at %2").arg(root.sender).arg(time)
        case MessageListModel.Leave:
            return qsTr("%1 left at %2").arg(root.sender).arg(time)
        case MessageListModel.Gap:
            return qsTr("Some messages are no longer on the server: the room's history was trimmed, or lost in a restart, while you were away.")
        default:
            return root.deleted ? qsTr("%1 at %2: message deleted").arg(root.sender).arg(time)
                                : qsTr("%1 at %2: %3").arg(root.sender).arg(time).arg(root.plainText)
        }
    }
    Accessible.description: root.edited ? qsTr("edited") : ""

    HoverHandler { id: hover }

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
            text: qsTr("Some messages are no longer on the server: the room's history was trimmed, or lost in a restart, while you were away.")
        }

        Rectangle {
            id: messageBox
            visible: root.kind === MessageListModel.Message
            Layout.fillWidth: true
            implicitHeight: body.implicitHeight + 6
            color: root.highlighted || root.quoteJumpHighlighted ? Theme.selection : (root.mention ? Theme.mention : "transparent")
            Behavior on color { ColorAnimation { duration: 300 } }

            // Reply, react, more: while the pointer is over the message.
            Rectangle {
                objectName: "messageActions"
                visible: root.canReact && (hover.hovered || root.activeFocus)
                z: 2
                anchors.top: parent.top
                anchors.right: parent.right
                anchors.rightMargin: Theme.spacing * 2
                anchors.topMargin: -4
                implicitWidth: actions.implicitWidth + 4
                implicitHeight: actions.implicitHeight + 4
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.border
                Row {
                    id: actions
                    anchors.centerIn: parent
                    ToolButton {
                        objectName: "replyButton"
                        text: "↩"
                        font.pixelSize: Theme.smallFontSize
                        Accessible.name: qsTr("Reply")
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Reply")
                        onClicked: root.reply(root.messageId, root.sender, root.plainText)
                    }
                    ToolButton {
                        id: reactButton
                        objectName: "reactButton"
                        text: "☺"
                        font.pixelSize: Theme.smallFontSize
                        Accessible.name: qsTr("React")
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("React")
                        onClicked: root.reactionsRequested(reactButton)
                    }
                    ToolButton {
                        id: moreButton
                        objectName: "moreButton"
                        text: "⋯"
                        font.pixelSize: Theme.smallFontSize
                        Accessible.name: qsTr("More actions")
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("More actions")
                        onClicked: root.actionsRequested(moreButton)
                    }
                }
            }

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
                        objectName: "senderName"
                        text: root.external ? qsTr("external") : root.sender
                        textFormat: Text.PlainText
                        font.bold: true
                        font.italic: root.external
                        // A forgery is never shown as the claimed sender's.
                        font.strikeout: root.forged
                        color: root.external || root.forged ? Theme.mutedText : Theme.colorFor(root.sender)
                        Accessible.role: root.external ? Accessible.StaticText : Accessible.Button
                        Accessible.name: root.external ? text : qsTr("%1's profile").arg(root.sender)
                        HoverHandler {
                            enabled: !root.external
                            cursorShape: Qt.PointingHandCursor
                        }
                        TapHandler {
                            enabled: !root.external
                            onTapped: root.profileRequested(root.sender)
                        }
                    }
                    Label {
                        objectName: "senderTrust"
                        visible: !root.external && !root.own && text.length > 0
                        textFormat: Text.PlainText
                        font.pixelSize: Theme.smallFontSize
                        font.bold: root.senderTrust >= 4
                        color: root.senderTrust >= 4 ? Theme.danger : Theme.mutedText
                        text: {
                            switch (root.senderTrust) {
                            case 0: return qsTr("unverified")
                            case 1: return qsTr("checking…")
                            case 2: return "✓"
                            case 3: return qsTr("✓ new key")
                            case 4: return qsTr("⚠ KEY CHANGED")
                            case 5: return qsTr("⚠ forged: not from %1").arg(root.sender)
                            }
                            return ""
                        }
                        Accessible.name: trustHint.text
                        ToolTip.visible: trustHover.hovered
                        ToolTip.text: trustHint.text
                        HoverHandler { id: trustHover }
                        Text {
                            id: trustHint
                            visible: false
                            text: {
                                switch (root.senderTrust) {
                                case 0: return qsTr("Not signed: anyone who can publish here could have written this under this name.")
                                case 1: return qsTr("Checking the signature.")
                                case 2: return qsTr("Signed with the key you have for %1.").arg(root.sender)
                                case 3: return qsTr("Signed; the first key seen for %1, remembered from now on. Compare safety numbers to be sure.").arg(root.sender)
                                case 4: return qsTr("Signed with a different key than the one you have for %1. It may be a new device, or someone else.").arg(root.sender)
                                case 5: return qsTr("The signature does not match: this was not written by %1.").arg(root.sender)
                                }
                                return ""
                            }
                        }
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

                // The message this one answers: who, and how it starts. A click goes there.
                Rectangle {
                    objectName: "replyQuote"
                    visible: root.replyTo.length > 0 && !root.deleted
                    Layout.fillWidth: true
                    Layout.topMargin: 2
                    implicitHeight: quoteLabel.implicitHeight + 6
                    color: Theme.raised
                    radius: 3
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Go to the message this answers")
                    Rectangle { width: 3; height: parent.height; radius: 1; color: Theme.accent }
                    Label {
                        id: quoteLabel
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.leftMargin: 10
                        anchors.rightMargin: 6
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        maximumLineCount: 1
                        color: Theme.mutedText
                        font.pixelSize: Theme.smallFontSize
                        text: root.quoteSender.length > 0
                              ? qsTr("↪ %1: %2").arg(root.quoteSender).arg(root.quoteText)
                              : qsTr("↪ Reply to an earlier message")
                    }
                    TapHandler { onTapped: root.jumpTo(root.replyTo) }
                    HoverHandler { cursorShape: Qt.PointingHandCursor }
                }

                Label {
                    objectName: "deletedNotice"
                    visible: root.deleted
                    text: qsTr("This message was deleted.")
                    color: Theme.mutedText
                    font.italic: true
                    font.pixelSize: Theme.fontSize
                }

                TextEdit {
                    id: textItem
                    visible: !root.deleted
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

                Label {
                    objectName: "editedMarker"
                    visible: root.edited && !root.deleted
                    text: qsTr("(edited)")
                    color: Theme.mutedText
                    font.pixelSize: Theme.smallFontSize
                }

                Flow {
                    objectName: "reactions"
                    visible: root.reactions.length > 0
                    Layout.fillWidth: true
                    Layout.topMargin: 2
                    spacing: 4
                    Repeater {
                        model: root.reactions
                        delegate: Button {
                            required property var modelData
                            objectName: "reaction:" + modelData.reaction
                            text: modelData.reaction + " " + modelData.count
                            font.pixelSize: Theme.smallFontSize
                            flat: !modelData.mine
                            highlighted: modelData.mine
                            topPadding: 2
                            bottomPadding: 2
                            Accessible.name: modelData.mine
                                             ? qsTr("%1, %2 (yours): take it back").arg(modelData.reaction).arg(modelData.count)
                                             : qsTr("%1, %2: react with it").arg(modelData.reaction).arg(modelData.count)
                            onClicked: root.react(root.messageId, modelData.reaction)
                        }
                    }
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
