@echo off
rem excel-balance for Windows staff: double-click to process inputs\ into outputs\.
rem This file is ASCII with CRLF line endings (cmd.exe reads a .bat in the console's code page).
rem Every message a person reads is printed by Python, in Chinese: the strings below are \u
rem escapes of the Chinese text so that the file itself stays ASCII.
setlocal
cd /d "%~dp0"

rem Python 3.11 or newer: the py launcher first, then python on PATH. The Microsoft Store stub
rem (python.exe under WindowsApps) is not Python: run with arguments it only prints a hint and
rem exits with an error, so "-c" below passes it over instead of opening the Store.
set "PY="
py -3 -c "import sys" >nul 2>&1
if not errorlevel 1 set "PY=py -3"
if defined PY goto :have_python
python -c "import sys" >nul 2>&1
if not errorlevel 1 set "PY=python"
if defined PY goto :have_python

rem No Python at all, so nothing can print Chinese for us: show the install guide (UTF-8).
echo Python 3.11+ was not found. Install guide:
chcp 65001 >nul
for %%F in ("%~dp0*.txt") do type "%%F"
goto :end

:have_python
%PY% -c "import sys; sys.exit(sys.version_info < (3, 11))"
if not errorlevel 1 goto :have_311
%PY% -c "import sys; print('\u627e\u5230\u7684 Python \u662f {} \u7248\uff0c\u672c\u5de5\u5177\u9700\u8981 Python 3.11 \u6216\u66f4\u65b0\u7248\u672c\uff1a\u8bf7\u6309\u201c\u5b89\u88c5\u8bf4\u660e.txt\u201d\u5b89\u88c5\u65b0\u7248 Python \u540e\u518d\u53cc\u51fb\u672c\u6587\u4ef6\u3002'.format(sys.version.split()[0]))"
goto :end

:have_311
if exist ".venv\Scripts\python.exe" goto :run
%PY% -c "print('\u9996\u6b21\u4f7f\u7528\uff1a\u6b63\u5728\u5efa\u7acb\u8fd0\u884c\u73af\u5883\uff08.venv \u6587\u4ef6\u5939\uff09\uff0c\u9700\u8981\u51e0\u5206\u949f\uff0c\u8bf7\u7a0d\u5019\u2026\u2026')"
%PY% -m venv .venv
if errorlevel 1 goto :failed
rem From the bundle's wheels when they are beside this file (no network needed), else from
rem this checkout's source, else from the package index.
if exist "wheels\" goto :from_wheels
if exist "setup.cfg" goto :from_checkout
%PY% -c "print('\u627e\u4e0d\u5230\u5b89\u88c5\u5305\uff1a\u672c\u6587\u4ef6\u65c1\u8fb9\u5e94\u6709 wheels \u6587\u4ef6\u5939\uff08\u79bb\u7ebf\u5b89\u88c5\u5305\uff09\u3002\u5c06\u5c1d\u8bd5\u4ece\u7f51\u7edc\u5b89\u88c5\u3002')"
".venv\Scripts\python.exe" -m pip install --quiet excel-balance
if errorlevel 1 goto :failed
goto :run

:from_wheels
".venv\Scripts\python.exe" -m pip install --quiet --no-index --find-links wheels excel-balance
if errorlevel 1 goto :failed
goto :run

:from_checkout
".venv\Scripts\python.exe" -m pip install --quiet .
if errorlevel 1 goto :failed
goto :run

:failed
%PY% -c "print('\u5b89\u88c5\u6ca1\u6709\u5b8c\u6210\uff1a\u8bf7\u628a\u4e0a\u9762\u7684\u4fe1\u606f\u622a\u56fe\u53d1\u7ed9\u6280\u672f\u4eba\u5458\u3002\u5df2\u5220\u9664\u672a\u5b8c\u6210\u7684 .venv \u6587\u4ef6\u5939\uff0c\u4fee\u590d\u540e\u53ef\u518d\u6b21\u53cc\u51fb\u672c\u6587\u4ef6\u3002')"
if exist ".venv\" rmdir /s /q ".venv"
goto :end

:run
rem Process inputs\ into outputs\ and open outputs\ when a report was written.
".venv\Scripts\python.exe" -m excel_balance run --open %*

:end
pause
endlocal
