from excel_balance.cli import main

main()
