u = "http://vbs" & ".example.org/" & "x"
WScript.Echo "harmless"
