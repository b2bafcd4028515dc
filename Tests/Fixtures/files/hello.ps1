Write-Output 'spearscan fixture: harmless'
