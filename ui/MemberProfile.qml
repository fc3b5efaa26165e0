pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Redwire.Models

// Someone's profile: their key's safety number and ours, to compare out of band (read aloud, or
// over another channel both trust; docs/PROTOCOL.md, "Signed envelopes"). When their key changed,
// the new key's number too, and the choice to accept it.
Dialog {
    id: profile
    objectName: "memberProfile"
    required property ChatController chat
    property string nickname: ""
    readonly property bool me: nickname === chat.nickname
    // Read when opened and when a key changes: safetyNumberOf is no property.
    property string theirNumber: ""
    property string newNumber: ""

    function show(name) {
        nickname = name
        refresh()
        open()
    }
    // 12 groups of 5 digits as 3 lines of 4, easier to read aloud.
    function lines(number) {
        return number.replace(/((?:\d{5} ){3}\d{5}) /g, "$1\n")
    }
    function refresh() {
        theirNumber = me ? chat.identity.safetyNumber : chat.identity.safetyNumberOf(nickname)
        newNumber = me ? "" : chat.identity.changedSafetyNumberOf(nickname)
    }
    Connections {
        target: profile.chat.identity
        function onChangedKeysChanged() { profile.refresh() }
        function onKeyChanged() { profile.refresh() }
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(520, parent ? parent.width - 40 : 520)
    modal: true
    focus: true
    title: me ? qsTr("Your profile") : qsTr("%1's profile").arg(nickname)

    ColumnLayout {
        width: parent.width
        spacing: Theme.spacing

        Label {
            objectName: "profileExplanation"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: profile.me
                  ? qsTr("Others can compare this number with the one their Redwire shows for you.")
                  : qsTr("Compare these numbers with %1 in person or over another channel you trust. If %1's number matches the one their Redwire shows as theirs, messages marked ✓ are really from them.").arg(profile.nickname)
        }

        Label {
            visible: !profile.me
            text: qsTr("%1's safety number").arg(profile.nickname)
            textFormat: Text.PlainText
            font.bold: true
        }
        Label {
            objectName: "theirSafetyNumber"
            visible: !profile.me
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            font.family: "monospace"
            text: profile.theirNumber.length > 0
                  ? profile.lines(profile.theirNumber)
                  : qsTr("No key known yet: %1 has sent no signed message you have seen.").arg(profile.nickname)
            color: profile.theirNumber.length > 0 ? Theme.text : Theme.mutedText
            Accessible.name: qsTr("%1's safety number: %2").arg(profile.nickname).arg(text)
        }

        // KEY CHANGED: the key they sign with now, and the choice.
        Rectangle {
            objectName: "profileKeyChanged"
            visible: profile.newNumber.length > 0
            Layout.fillWidth: true
            implicitHeight: changedColumn.implicitHeight + Theme.spacing * 2
            color: Theme.raised
            border.color: Theme.danger
            border.width: 2
            radius: 3
            ColumnLayout {
                id: changedColumn
                anchors.fill: parent
                anchors.margins: Theme.spacing
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    textFormat: Text.PlainText
                    color: Theme.danger
                    font.bold: true
                    text: qsTr("⚠ %1 now signs with a different key:").arg(profile.nickname)
                }
                Label {
                    objectName: "newSafetyNumber"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    textFormat: Text.PlainText
                    font.family: "monospace"
                    text: profile.lines(profile.newNumber)
                    Accessible.name: qsTr("%1's new safety number: %2").arg(profile.nickname).arg(text)
                }
                Button {
                    objectName: "profileAcceptKey"
                    text: qsTr("Accept new key")
                    Accessible.name: qsTr("Accept %1's new key").arg(profile.nickname)
                    onClicked: profile.chat.identity.acceptChangedKey(profile.nickname)
                }
            }
        }

        Label {
            text: qsTr("Your safety number")
            textFormat: Text.PlainText
            font.bold: true
        }
        Label {
            objectName: "ourSafetyNumber"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            font.family: "monospace"
            text: profile.chat.identity.safetyNumber.length > 0 ? profile.lines(profile.chat.identity.safetyNumber)
                                                                : qsTr("Your key is not loaded yet.")
            Accessible.name: qsTr("Your safety number: %1").arg(text)
        }

        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: Theme.spacing
            Button {
                objectName: "profileMessage"
                visible: !profile.me
                text: qsTr("Message %1").arg(profile.nickname)
                onClicked: {
                    profile.chat.openDirect(profile.nickname)
                    profile.close()
                }
            }
            Button {
                objectName: "profileClose"
                text: qsTr("Close")
                focus: true
                onClicked: profile.close()
            }
        }
    }
}
