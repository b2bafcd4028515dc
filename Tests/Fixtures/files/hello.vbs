WScript.Echo "spearscan fixture: harmless"
