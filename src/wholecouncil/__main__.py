from wholecouncil.cli import main

main()
