pragma Singleton
import QtQuick

// Light and dark palettes. Follows the system's window colour unless the user picks one.
QtObject {
    id: theme

    // "system", "light" or "dark"
    property string mode: "system"
    readonly property bool systemIsDark: {
        const c = systemPalette.window
        return (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) < 0.5
    }
    readonly property bool dark: mode === "dark" || (mode === "system" && systemIsDark)

    readonly property color background: dark ? "#15171c" : "#ffffff"
    readonly property color sidebar: dark ? "#1c1f26" : "#f3f4f7"
    readonly property color surface: dark ? "#22262e" : "#ffffff"
    readonly property color raised: dark ? "#2a2f39" : "#eef0f4"
    readonly property color border: dark ? "#333946" : "#dde1e8"
    readonly property color text: dark ? "#e6e8ec" : "#1d2129"
    readonly property color mutedText: dark ? "#9aa3b2" : "#667085"
    readonly property color accent: dark ? "#ff6b5a" : "#d8392b"
    readonly property color accentText: "#ffffff"
    readonly property color selection: dark ? "#3a2f33" : "#fde8e5"
    readonly property color mention: dark ? "#4a3a16" : "#fff4d6"
    readonly property color ok: dark ? "#4cc38a" : "#1f9d55"
    readonly property color warning: dark ? "#f5b544" : "#b7791f"
    readonly property color danger: dark ? "#ff7b7b" : "#c53030"
    readonly property color link: dark ? "#7cb7ff" : "#1f6feb"

    readonly property int spacing: 8
    readonly property int radius: 6
    readonly property int fontSize: 14
    readonly property int smallFontSize: 12

    // A stable colour per name (sender, channel), readable on both palettes.
    function colorFor(name) {
        let h = 7
        for (let i = 0; i < name.length; ++i)
            h = (h * 31 + name.charCodeAt(i)) % 1000003
        // Golden-ratio steps spread neighbouring hashes round the colour wheel.
        const hue = (h * 0.618033988749895) % 1
        return Qt.hsla(hue, 0.6, dark ? 0.68 : 0.40, 1)
    }

    property SystemPalette systemPalette: SystemPalette { colorGroup: SystemPalette.Active }
}
