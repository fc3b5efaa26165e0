<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>StatisticsReport</name>
    <message numerus="yes">
        <source>%n active channel(s)</source>
        <translation>
            <numerusform>%n active channel</numerusform>
            <numerusform>%n active channels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) in total</source>
        <translation>
            <numerusform>%n message in total</numerusform>
            <numerusform>%n messages in total</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>   ... and %n more channel(s)
</source>
        <translation>
            <numerusform>   ... and %n more channel
</numerusform>
            <numerusform>   ... and %n more channels
</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s)</source>
        <translation>
            <numerusform>%n channel</numerusform>
            <numerusform>%n channels</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MonitorSession</name>
    <message numerus="yes">
        <source>reconnected to %1; resubscribed to %n topic(s)</source>
        <translation>
            <numerusform>reconnected to %1; resubscribed to %n topic</numerusform>
            <numerusform>reconnected to %1; resubscribed to %n topics</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>subscribed to %n topic(s) on %1</source>
        <translation>
            <numerusform>subscribed to %n topic on %1</numerusform>
            <numerusform>subscribed to %n topics on %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Redwire::PayloadPresentation</name>
    <message numerus="yes">
        <source>… %n more byte(s) not shown</source>
        <translation>
            <numerusform>… %n more byte not shown</numerusform>
            <numerusform>… %n more bytes not shown</numerusform>
        </translation>
    </message>
</context>
</TS>
