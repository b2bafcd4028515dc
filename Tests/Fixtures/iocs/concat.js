var u = "ht" + "tp://" + "js-concat.example.com" + "/p.txt";
WScript.Echo("harmless");
