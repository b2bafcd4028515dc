$u = 'https://ps' + '.example.net/a'
Write-Output "harmless"
