<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>SpendingDialog</name>
    <message numerus="yes">
        <source>%n job(s) of this month from before the app kept estimates are not in these totals.</source>
        <translation>
            <numerusform>%n job of this month from before the app kept estimates is not in these totals.</numerusform>
            <numerusform>%n jobs of this month from before the app kept estimates are not in these totals.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) without an amount left out.</source>
        <translation>
            <numerusform>%n line without an amount left out.</numerusform>
            <numerusform>%n lines without an amount left out.</numerusform>
        </translation>
    </message>
</context>
</TS>
