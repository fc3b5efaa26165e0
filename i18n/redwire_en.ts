<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ConnectionBanner</name>
    <message numerus="yes">
        <source>%1: %2 Reconnecting in %n s.</source>
        <translation>
            <numerusform>%1: %2 Reconnecting in %n s.</numerusform>
            <numerusform>%1: %2 Reconnecting in %n s.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message numerus="yes">
        <source>%n message(s) could not be sent yet. They are kept, and sent the next time you connect to this server with this nickname.</source>
        <translation>
            <numerusform>%n message could not be sent yet. It is kept, and sent the next time you connect to this server with this nickname.</numerusform>
            <numerusform>%n messages could not be sent yet. They are kept, and sent the next time you connect to this server with this nickname.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You typed a message you have not sent in %n room(s): %1. It is kept for the next time you open the room.</source>
        <translation>
            <numerusform>You typed a message you have not sent in %1. It is kept for the next time you open the room.</numerusform>
            <numerusform>You typed messages you have not sent in %n rooms: %1. They are kept for the next time you open those rooms.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MonitorSidePanel</name>
    <message numerus="yes">
        <source>%n subscriber(s) (by name)</source>
        <translation>
            <numerusform>%n subscriber (by name)</numerusform>
            <numerusform>%n subscribers (by name)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sharded subscriber(s)</source>
        <translation>
            <numerusform>%n sharded subscriber</numerusform>
            <numerusform>%n sharded subscribers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MonitorPage</name>
    <message numerus="yes">
        <source>%1 dropped, more possibly missed in %n gap(s)</source>
        <translation>
            <numerusform>%1 dropped, more possibly missed in %n gap</numerusform>
            <numerusform>%1 dropped, more possibly missed in %n gaps</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s)</source>
        <translation>
            <numerusform>%n channel</numerusform>
            <numerusform>%n channels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pattern(s)</source>
        <translation>
            <numerusform>%n pattern</numerusform>
            <numerusform>%n patterns</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuickSwitcher</name>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Redwire::MonitorController</name>
    <message numerus="yes">
        <source>Published to %1: %n receiver(s).</source>
        <translation>
            <numerusform>Published to %1: %n receiver.</numerusform>
            <numerusform>Published to %1: %n receivers.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Redwire::MonitorSelection</name>
    <message numerus="yes">
        <source>%1 at %2, %n byte(s), via %3</source>
        <translation>
            <numerusform>%1 at %2, %n byte, via %3</numerusform>
            <numerusform>%1 at %2, %n bytes, via %3</numerusform>
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
<context>
    <name>RoomHeader</name>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n online</numerusform>
            <numerusform>%n online</numerusform>
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
