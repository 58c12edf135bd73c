
#compdef preflight

_preflight_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _PREFLIGHT_COMPLETE=complete_zsh preflight)
}

compdef _preflight_completion preflight
