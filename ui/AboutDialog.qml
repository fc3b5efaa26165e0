import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Name, version (CMake's project version, as `redwire --version` prints it) and licence.
Dialog {
    id: dialog
    title: qsTr("About Redwire")
    modal: true
    standardButtons: Dialog.Close
    anchors.centerIn: parent

    ColumnLayout {
        spacing: Theme.spacing
        Label {
            text: qsTr("Redwire %1").arg(Qt.application.version)
            objectName: "aboutVersion"
            font.pixelSize: 20
            font.bold: true
        }
        Label { text: qsTr("Chat and channel monitoring over Redis Pub/Sub.") }
        Label { text: qsTr("Released under the MIT licence.") ; color: Theme.mutedText }
    }
}
