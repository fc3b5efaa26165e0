pragma Singleton
import QtQuick
import Redwire.Models

// Light and dark palettes. Follows the system's window colour unless the user picks one.
QtObject {
    id: theme

    // Text colours (text, mutedText, accent, ok, warning, danger, link) keep WCAG AA contrast (4.5:1)
    // on every surface of their palette, and accentText on accent: tests/ui/tst_themecontrast.

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
    readonly property color mutedText: dark ? "#a0a9b7" : "#616a7e"
    readonly property color accent: dark ? "#ff8476" : "#c53124"
    readonly property color accentText: dark ? "#15171c" : "#ffffff"
    readonly property color selection: dark ? "#3a2f33" : "#fde8e5"
    readonly property color mention: dark ? "#4a3a16" : "#fff4d6"
    readonly property color ok: dark ? "#4cc38a" : "#187942"
    readonly property color warning: dark ? "#f5b544" : "#905f18"
    readonly property color danger: dark ? "#ff8383" : "#c53030"
    readonly property color link: dark ? "#7cb7ff" : "#1463df"

    readonly property int spacing: 8
    readonly property int radius: 6
    readonly property int fontSize: 14
    readonly property int smallFontSize: 12

    // A stable colour per name (sender, member), the same the monitor gives a channel of that name,
    // readable on this palette's background (src/palette/NamePalette).
    function colorFor(name) {
        return NameColors.colorFor(name, dark)
    }

    property SystemPalette systemPalette: SystemPalette { colorGroup: SystemPalette.Active }
}
