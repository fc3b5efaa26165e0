import QtQuick

// Message rates of the busiest channels over the last minute, one line each in the channel's
// colour. Drawn with Canvas: no charting module (and its widgets dependency) needed.
Canvas {
    id: chart
    // [{channel, color, points: [...]}], as MonitorController.rateHistory
    property var series: []
    onSeriesChanged: requestPaint()

    onPaint: {
        const ctx = getContext("2d")
        ctx.reset()
        ctx.fillStyle = Theme.surface
        ctx.fillRect(0, 0, width, height)
        ctx.strokeStyle = Theme.border
        ctx.strokeRect(0.5, 0.5, width - 1, height - 1)
        let max = 1
        for (const s of series)
            for (const p of s.points)
                max = Math.max(max, p)
        const step = width / 59
        for (const s of series) {
            ctx.beginPath()
            ctx.strokeStyle = s.color
            ctx.lineWidth = 2
            const offset = 60 - s.points.length
            s.points.forEach((p, i) => {
                const x = (offset + i) * step
                const y = height - 4 - (p / max) * (height - 16)
                if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y)
            })
            ctx.stroke()
        }
        ctx.fillStyle = Theme.mutedText
        ctx.font = "10px sans-serif"
        ctx.fillText(max.toFixed(0) + " msg/s", 4, 11)
    }
}
