@echo off
echo spearscan fixture: harmless
