import QtQuick

// Message rates of the busiest channels over the last minute, one line each in the channel's
// colour, on a scale whose top (`ceiling`) fits the highest rate charted. Drawn with Canvas: no
// charting module (and its widgets dependency) needed. Repainted only when the data changes.
Canvas {
    id: chart
    // [{channel, color, peak, points: [msg/s, ...oldest first]}], as MonitorController.rateHistory
    required property var series
    required property real ceiling
    // Points the x axis holds: one a second, a minute.
    property int samples: 60

    onSeriesChanged: requestPaint()
    onCeilingChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()

    function rateText(value) {
        return value >= 1 ? Number(value).toLocaleString(Qt.locale(), "f", 0)
                          : Number(value).toLocaleString(Qt.locale(), "f", 1)
    }

    onPaint: {
        const ctx = getContext("2d")
        ctx.reset()
        ctx.fillStyle = Theme.surface
        ctx.fillRect(0, 0, width, height)
        ctx.strokeStyle = Theme.border
        ctx.lineWidth = 1
        ctx.strokeRect(0.5, 0.5, width - 1, height - 1)

        const top = 16, bottom = height - 16, left = 4, right = width - 4
        // Grid: the ceiling and its half.
        ctx.beginPath()
        ctx.moveTo(left, top + 0.5); ctx.lineTo(right, top + 0.5)
        ctx.moveTo(left, Math.round((top + bottom) / 2) + 0.5); ctx.lineTo(right, Math.round((top + bottom) / 2) + 0.5)
        ctx.stroke()

        ctx.fillStyle = Theme.mutedText
        ctx.font = "10px sans-serif"
        ctx.fillText(qsTr("%1 msg/s").arg(rateText(ceiling)), left, 11)
        ctx.fillText(qsTr("1 min ago"), left, height - 4)
        const now = qsTr("now")
        ctx.fillText(now, right - ctx.measureText(now).width, height - 4)

        if (series.length === 0) {
            const idle = qsTr("No messages in the last minute")
            ctx.fillText(idle, (width - ctx.measureText(idle).width) / 2, (top + bottom) / 2 - 4)
            return
        }
        const step = (right - left) / Math.max(1, samples - 1)
        for (const s of series) {
            ctx.beginPath()
            ctx.strokeStyle = s.color
            ctx.lineWidth = 2
            const offset = samples - s.points.length
            s.points.forEach((p, i) => {
                const x = left + (offset + i) * step
                const y = bottom - Math.min(1, p / ceiling) * (bottom - top)
                if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y)
            })
            ctx.stroke()
        }
    }
}
