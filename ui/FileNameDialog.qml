import QtCore
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

// Asks for a file path: typed (Enter accepts), or picked with the platform's file dialog
// (Browse…). A folder that does not exist yet is created by whoever writes the file.
Dialog {
    id: dialog
    property string suggestedName: ""
    // For the file dialog, e.g. ["CSV (*.csv)"]; "All files (*)" is always offered as well.
    property var nameFilters: []
    // An existing file to read (Replay…) rather than one to write.
    property bool opensFile: false
    // More controls below the path (e.g. the replay's speed).
    property alias extraContent: extraColumn.data
    signal chosen(string path)

    // file:///home/me/a%20b.csv -> /home/me/a b.csv; file:///C:/x.csv -> C:/x.csv.
    function localPath(url) {
        const text = String(url)
        if (!text.startsWith("file://"))
            return text
        const path = decodeURIComponent(text.substring("file://".length))
        return /^\/[A-Za-z]:/.test(path) ? path.substring(1) : path
    }
    function fileUrl(path) {
        const slashed = path.replace(/\\/g, "/")
        return "file://" + (slashed.startsWith("/") ? "" : "/") + encodeURI(slashed).replace(/#/g, "%23").replace(/\?/g, "%3F")
    }
    function folderOf(path) {
        const slashed = path.replace(/\\/g, "/")
        const cut = slashed.lastIndexOf("/")
        return cut > 0 ? slashed.substring(0, cut) : slashed
    }

    anchors.centerIn: Overlay.overlay
    modal: true
    standardButtons: Dialog.Ok | Dialog.Cancel
    onOpened: {
        pathField.text = localPath(StandardPaths.writableLocation(StandardPaths.DocumentsLocation)) + "/" + suggestedName
        pathField.forceActiveFocus()
    }
    onAccepted: if (pathField.text.trim().length > 0) chosen(pathField.text.trim())

    ColumnLayout {
        Label { text: qsTr("File") }
        RowLayout {
            TextField {
                id: pathField
                objectName: "pathField"
                Layout.preferredWidth: 420
                selectByMouse: true
                onAccepted: dialog.accept()
            }
            Button {
                objectName: "browseButton"
                text: qsTr("Browse…")
                onClicked: {
                    // Start where the typed path points.
                    const typed = pathField.text.trim()
                    if (typed.length > 0) {
                        fileDialog.currentFolder = dialog.fileUrl(dialog.folderOf(typed))
                        fileDialog.selectedFile = dialog.fileUrl(typed)
                    }
                    fileDialog.open()
                }
            }
        }
        ColumnLayout { id: extraColumn; Layout.fillWidth: true }
    }

    FileDialog {
        id: fileDialog
        objectName: "fileDialog"
        title: dialog.title
        fileMode: dialog.opensFile ? FileDialog.OpenFile : FileDialog.SaveFile
        acceptLabel: qsTr("Choose") // nothing is written until the dialog above is accepted
        nameFilters: dialog.nameFilters.concat([qsTr("All files (*)")])
        onAccepted: pathField.text = dialog.localPath(selectedFile)
    }
}
