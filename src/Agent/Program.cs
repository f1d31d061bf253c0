Console.WriteLine("DqnStudy: not wired yet");
return 0;
