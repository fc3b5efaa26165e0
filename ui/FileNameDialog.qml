import QtCore
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Asks for a file path (typed; works the same on every platform and under test).
Dialog {
    id: dialog
    property string suggestedName: ""
    signal chosen(string path)

    anchors.centerIn: Overlay.overlay
    modal: true
    standardButtons: Dialog.Ok | Dialog.Cancel
    onOpened: pathField.text = StandardPaths.writableLocation(StandardPaths.DocumentsLocation).toString().replace("file://", "") + "/" + suggestedName
    onAccepted: if (pathField.text.trim().length > 0) chosen(pathField.text.trim())

    ColumnLayout {
        Label { text: qsTr("File") }
        TextField { id: pathField; Layout.preferredWidth: 420 }
    }
}
