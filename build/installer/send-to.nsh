; Windows: "Send to > Hoist" for any file or folder in Explorer, added by the installer and
; removed by the uninstaller (electron-builder's NSIS `include`). Explorer passes the chosen items
; to Hoist as command-line arguments; a running Hoist receives them from the second instance.
!macro customInstall
  CreateShortCut "$SENDTO\${PRODUCT_NAME}.lnk" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" 0
!macroend

!macro customUnInstall
  Delete "$SENDTO\${PRODUCT_NAME}.lnk"
!macroend
